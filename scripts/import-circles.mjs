#!/usr/bin/env node
/**
 * Fails when modules import each other in a circle (type-only imports count: a circle of types
 * is still two modules that cannot be understood apart). Run by `npm test` before anything
 * else; prints each circle as the files that form it.
 *
 *   node scripts/import-circles.mjs [folder ...]   (default: server client/src signaling test bench)
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const SOURCE = /\.(ts|tsx)$/;

/** Every .ts/.tsx file under the folders (declaration files and node_modules left out). */
function sourcesUnder(folders) {
  const files = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) {
        if (name !== 'node_modules') walk(full);
      } else if (SOURCE.test(name) && !name.endsWith('.d.ts')) files.push(path.resolve(full));
    }
  };
  for (const folder of folders) walk(folder);
  return files;
}

// Static imports and re-exports start a line (so prose in comments does not count); dynamic
// imports may be anywhere.
const STATIC = /^\s*(?:import|export)\s[^;]*?\sfrom\s+['"]([^'"]+)['"]/gm;
const BARE = /^\s*import\s+['"]([^'"]+)['"]/gm;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The project files a file imports (relative specifiers resolved the way TypeScript does for `.js`). */
function importsOf(file) {
  const text = readFileSync(file, 'utf8');
  const targets = new Set();
  for (const pattern of [STATIC, BARE, DYNAMIC]) {
    for (const match of text.matchAll(pattern)) {
      const spec = match[1];
      if (!spec.startsWith('.')) continue;
      const base = path.resolve(path.dirname(file), spec);
      const candidates = [base.replace(/\.js$/, '.ts'), base.replace(/\.js$/, '.tsx'), `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')];
      const found = candidates.find((c) => existsSync(c) && statSync(c).isFile());
      if (found) targets.add(found);
    }
  }
  return targets;
}

/** The circles: strongly connected groups of more than one file, or a file importing itself (Tarjan). */
export function findCircles(folders) {
  const graph = new Map(sourcesUnder(folders).map((file) => [file, importsOf(file)]));
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const circles = [];
  let next = 0;
  const visit = (v) => {
    index.set(v, next);
    low.set(v, next);
    next += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) !== index.get(v)) return;
    const group = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      group.push(w);
    } while (w !== v);
    if (group.length > 1 || graph.get(v).has(v)) circles.push(group.sort());
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return { files: graph.size, circles };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const folders = process.argv.length > 2 ? process.argv.slice(2) : ['server', 'client/src', 'signaling', 'test', 'bench'];
  const { files, circles } = findCircles(folders);
  for (const circle of circles) console.error(`import circle: ${circle.map((f) => path.relative(process.cwd(), f)).join(' ↔ ')}`);
  if (circles.length > 0) {
    console.error(`import-circles: ${circles.length} circle(s) among ${files} files; break each (move what both need into a module of its own)`);
    process.exit(1);
  }
  console.log(`import-circles: none among ${files} files`);
}
