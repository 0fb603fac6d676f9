import { describe, expect, test } from 'vitest';
import { chooseSpatialLayer, galleryColumns } from './layers.js';

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
