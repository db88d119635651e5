// Point-in-polygon over the city's district GeoJSON (no PostGIS on the embedded database).
// Ring orientation is ignored: the even-odd rule works for holes and for either winding.

export type Ring = [number, number][];
export interface DistrictShape {
  id: string;
  polygons: Ring[][]; // each polygon: outer ring then holes, coordinates [lon, lat]
  bbox: [number, number, number, number]; // minLon, minLat, maxLon, maxLat
}

function insideRing(lon: number, lat: number, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function insidePolygon(lon: number, lat: number, polygon: Ring[]): boolean {
  let inside = false;
  for (const ring of polygon) if (insideRing(lon, lat, ring)) inside = !inside;
  return inside;
}

export function districtAt(shapes: readonly DistrictShape[], lat: number, lon: number): string | null {
  for (const s of shapes) {
    const [a, b, c, d] = s.bbox;
    if (lon < a || lon > c || lat < b || lat > d) continue;
    if (s.polygons.some((p) => insidePolygon(lon, lat, p))) return s.id;
  }
  return null;
}

interface GeoJsonFeature {
  properties: { id?: string } | null;
  geometry: { type: 'Polygon'; coordinates: Ring[] } | { type: 'MultiPolygon'; coordinates: Ring[][] };
}

export function shapesFromGeoJson(fc: { features: GeoJsonFeature[] }): DistrictShape[] {
  return fc.features.map((f, i) => {
    const id = f.properties?.id;
    if (!id) throw new Error(`district feature ${i} has no properties.id`);
    const polygons = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
    let minLon = Infinity;
    let minLat = Infinity;
    let maxLon = -Infinity;
    let maxLat = -Infinity;
    for (const poly of polygons)
      for (const ring of poly)
        for (const [lon, lat] of ring) {
          minLon = Math.min(minLon, lon);
          maxLon = Math.max(maxLon, lon);
          minLat = Math.min(minLat, lat);
          maxLat = Math.max(maxLat, lat);
        }
    return { id, polygons, bbox: [minLon, minLat, maxLon, maxLat] };
  });
}
