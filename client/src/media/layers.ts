/**
 * Which simulcast layer a video tile needs. The camera is sent as three encodings, each half
 * the height of the next (scaleResolutionDownBy 4/2/1 of a 720p capture: ~180p, 360p, 720p).
 */

/** Spatial layer index: 0 lowest, 2 the full capture. */
export type SpatialLayer = 0 | 1 | 2;

/** Device pixels a tile can show before the next layer up is worth its bandwidth. */
const LAYER_0_MAX_HEIGHT = 240;
const LAYER_1_MAX_HEIGHT = 480;

/**
 * The smallest layer that still looks sharp in a tile of this CSS height on this screen.
 * A hidden or collapsed tile (height 0) gets the lowest layer rather than nothing: pausing
 * is a separate decision.
 */
export function chooseSpatialLayer(cssHeight: number, devicePixelRatio = 1): SpatialLayer {
  const ratio = Number.isFinite(devicePixelRatio) && devicePixelRatio > 0 ? devicePixelRatio : 1;
  const height = Math.max(0, cssHeight) * ratio;
  if (height <= LAYER_0_MAX_HEIGHT) return 0;
  if (height <= LAYER_1_MAX_HEIGHT) return 1;
  return 2;
}

/**
 * Heights of the camera's two lower layers for its 720p capture (encodings.ts:
 * scaleResolutionDownBy 4 and 2); the top layer is the capture itself.
 */
const LAYER_0_HEIGHT = 180;
const LAYER_1_HEIGHT = 360;

/**
 * The layer for the stage: the smallest one at least as tall as the stage, never one stretched
 * to fill it. The stage is where the whole meeting looks (the speaker's face and gestures), so
 * unlike a gallery tile it takes no upscaled picture; on most screens that is the top layer.
 */
export function chooseStageLayer(cssHeight: number, devicePixelRatio = 1): SpatialLayer {
  const ratio = Number.isFinite(devicePixelRatio) && devicePixelRatio > 0 ? devicePixelRatio : 1;
  const height = Math.max(0, cssHeight) * ratio;
  if (height <= LAYER_0_HEIGHT) return 0;
  if (height <= LAYER_1_HEIGHT) return 1;
  return 2;
}

/** Where a video is shown: a gallery tile, or the stage (the floor holder, large). */
export type LayerView = 'tile' | 'stage';

/**
 * The layer to ask the server for a consumer shown in several places at once (the floor
 * holder's camera is on the stage and in a tile): the largest place decides, so the small tile
 * never pulls the stage down to its layer. Null when nothing shows it.
 */
export function layerForViews(asks: ReadonlyMap<LayerView, SpatialLayer>): SpatialLayer | null {
  let best: SpatialLayer | null = null;
  for (const layer of asks.values()) if (best === null || layer > best) best = layer;
  return best;
}

/** Columns of a gallery of `count` tiles: as square as possible, never more than four. */
export function galleryColumns(count: number): number {
  if (count <= 1) return 1;
  return Math.min(4, Math.ceil(Math.sqrt(count)));
}
