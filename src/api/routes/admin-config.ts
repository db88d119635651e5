// Admin routes for the city's configuration: each editable section as the file has it and as an admin overrode it,
// replace a section (validated like a start, applied at once), revert it to the file; and the channels' state.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { channelStates } from '../../admin/channels.js';
import { isSection, revertSection, saveSection, sectionView } from '../../admin/config.js';
import { canCentre } from '../../auth/policies.js';
import type { Connector } from '../../channels/connector.js';
import { EDITABLE_SECTIONS, type SectionName } from '../../config/load.js';
import { TEMPLATE_VARIABLES } from '../../config/schema.js';
import type { Context } from '../../context.js';
import { AppError } from '../../errors.js';
import { requireUser, staff } from '../auth.js';

const secured = { security: [{ bearer: [] }], tags: ['admin'] };
const Section = z.object({ section: z.string().max(40) });
const sectionOf = (name: string): SectionName => {
  if (!isSection(name)) throw AppError.notFound('configuration section', name);
  return name;
};

export const adminConfigRoutes =
  (ctx: Context, connectors: Connector[]): FastifyPluginAsyncZod =>
  async (app) => {
    app.addHook('preHandler', requireUser(ctx));
    app.addHook('preHandler', async (req) => {
      if (!canCentre(staff(req), 'admin_config')) throw AppError.forbidden("administer the city's configuration");
    });

    app.get('/admin/config', { schema: { ...secured, summary: 'The editable sections and which an admin overrode' } }, async () => ({
      version: ctx.city.version,
      sections: EDITABLE_SECTIONS.map((s) => ({ section: s, overridden: ctx.city.overridden.includes(s) })),
      template_variables: TEMPLATE_VARIABLES,
    }));

    app.get(
      '/admin/config/:section',
      { schema: { ...secured, summary: "A section: the file's value, the override, the history", params: Section } },
      async (req) => sectionView(ctx, sectionOf(req.params.section)),
    );

    app.put(
      '/admin/config/:section',
      {
        schema: {
          ...secured,
          summary: 'Replace a section; validated with the same schemas and cross-checks as at start, applied at once',
          params: Section,
          // The section's own schema (src/config/load.ts SECTION_SCHEMAS) validates it, with the whole city.
          body: z.object({ value: z.unknown() }),
        },
      },
      async (req) => {
        if (req.body.value === undefined || req.body.value === null)
          throw AppError.validation('value is required', [{ field: 'value', message: 'required' }]);
        return saveSection(ctx, staff(req), sectionOf(req.params.section), req.body.value);
      },
    );

    app.delete('/admin/config/:section', { schema: { ...secured, summary: 'Revert a section to the file', params: Section } }, async (req) =>
      revertSection(ctx, staff(req), sectionOf(req.params.section)),
    );

    app.get('/admin/channels', { schema: { ...secured, summary: 'Channel connectors: on or off, which settings are set' } }, async () => ({
      channels: channelStates(ctx.settings, connectors),
    }));
  };
