import { describe, expect, test } from 'vitest';
import { chooseSpatialLayer, chooseStageLayer, galleryColumns, layerForViews, type LayerView, type SpatialLayer } from './layers.js';

describe('chooseSpatialLayer()', () => {
  test.each([
    [0, 1, 0],
    [120, 1, 0],
    [240, 1, 0],
    [241, 1, 1],
    [360, 1, 1],
    [480, 1, 1],
    [481, 1, 2],
    [1080, 1, 2],
    [180, 2, 1],
    [300, 2, 2],
  ])('a tile %d CSS px high at devicePixelRatio %d gets layer %d', (height, dpr, layer) => {
    expect(chooseSpatialLayer(height, dpr)).toBe(layer);
  });

  test('nonsense ratios and negative heights fall back to sane values', () => {
    expect(chooseSpatialLayer(300, Number.NaN)).toBe(1);
    expect(chooseSpatialLayer(300, 0)).toBe(1);
    expect(chooseSpatialLayer(-50, 2)).toBe(0);
  });
});

describe('galleryColumns()', () => {
  test.each([
    [0, 1],
    [1, 1],
    [2, 2],
    [4, 2],
    [5, 3],
    [9, 3],
    [10, 4],
    [40, 4],
  ])('%d tiles → %d columns', (count, columns) => {
    expect(galleryColumns(count)).toBe(columns);
  });
});

describe('chooseStageLayer()', () => {
  test.each([
    [0, 1, 0],
    [180, 1, 0],
    [181, 1, 1],
    [360, 1, 1],
    [361, 1, 2],
    // A desktop stage (52vh of an 800 px window) takes the top layer where a tile would take the middle one.
    [416, 1, 2],
    [150, 2, 1],
    [200, 3, 2],
  ])('a stage %d CSS px high at devicePixelRatio %d gets layer %d', (height, dpr, layer) => {
    expect(chooseStageLayer(height, dpr)).toBe(layer);
  });

  test('the stage never asks for less than a tile of the same size', () => {
    for (let height = 0; height <= 1200; height += 7) {
      for (const dpr of [1, 1.5, 2, 3]) expect(chooseStageLayer(height, dpr)).toBeGreaterThanOrEqual(chooseSpatialLayer(height, dpr));
    }
  });
});

describe('layerForViews()', () => {
  const asks = (entries: Array<[LayerView, SpatialLayer]>) => new Map(entries);

  test('the largest view decides: a small tile never pulls the stage down', () => {
    expect(layerForViews(asks([['tile', 0], ['stage', 2]]))).toBe(2);
    expect(layerForViews(asks([['stage', 1], ['tile', 2]]))).toBe(2);
    expect(layerForViews(asks([['tile', 0]]))).toBe(0);
  });

  test('is null when nothing shows the video', () => {
    expect(layerForViews(asks([]))).toBeNull();
  });
});
