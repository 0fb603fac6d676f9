/**
 * A strict reader of Prometheus' text exposition format (version 0.0.4), written from the
 * format's description rather than from prom-client, so that a test reads /metrics as
 * Prometheus would and fails on anything Prometheus would refuse: a malformed line, a label
 * value badly escaped, a TYPE after its samples, a sample outside its family, a repeated
 * series, histogram buckets that are not cumulative or lack +Inf.
 */

/** One sample line. */
export type Sample = { name: string; labels: Record<string, string>; value: number };

/** A metric family: its HELP, TYPE and samples. */
export type Family = { name: string; help: string | undefined; type: string; samples: Sample[] };

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

/** Parses an exposition; throws with the line number on anything not in the format. */
export function parsePrometheusText(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const series = new Set<string>();
  let current: Family | undefined;
  const lines = text.split('\n');
  if (lines.at(-1) !== '') throw new Error('the exposition must end with a line feed');
  lines.pop();
  lines.forEach((line, index) => {
    const at = `line ${index + 1} (${JSON.stringify(line.slice(0, 80))})`;
    if (line.trim() === '') return;
    if (line.startsWith('#')) {
      const meta = /^# (HELP|TYPE) (\S+)(?: (.*))?$/.exec(line);
      if (!meta) return; // A plain comment.
      const [, kind, name = '', rest = ''] = meta;
      if (!METRIC_NAME.test(name)) throw new Error(`${at}: bad metric name`);
      let family = families.get(name);
      if (family && family !== current) throw new Error(`${at}: family ${name} continues after another one`);
      if (!family) {
        family = { name, help: undefined, type: 'untyped', samples: [] };
        families.set(name, family);
        current = family;
      }
      if (kind === 'HELP') {
        if (family.help !== undefined) throw new Error(`${at}: second HELP for ${name}`);
        family.help = unescapeHelp(rest, at);
      } else {
        if (!TYPES.has(rest)) throw new Error(`${at}: unknown type ${rest}`);
        if (family.samples.length > 0) throw new Error(`${at}: TYPE after the samples of ${name}`);
        family.type = rest;
      }
      return;
    }
    const sample = parseSample(line, at);
    if (!current || !belongs(current, sample.name)) throw new Error(`${at}: sample ${sample.name} outside its family`);
    const key = `${sample.name}{${Object.entries(sample.labels)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join(',')}}`;
    if (series.has(key)) throw new Error(`${at}: repeated series ${key}`);
    series.add(key);
    current.samples.push(sample);
  });
  for (const family of families.values()) if (family.type === 'histogram') checkHistogram(family);
  return families;
}

/** The one sample of `name` whose labels include `labels`; throws when there is not exactly one. */
export function sampleValue(families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number {
  const matching = samplesOf(families, name).filter((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (matching.length !== 1) throw new Error(`${matching.length} samples of ${name}${JSON.stringify(labels)}`);
  return matching[0]?.value ?? NaN;
}

/** Every sample named `name` (a family's own name, or a histogram's `_bucket`, `_sum`, `_count`). */
export function samplesOf(families: Map<string, Family>, name: string): Sample[] {
  const out: Sample[] = [];
  for (const family of families.values()) for (const s of family.samples) if (s.name === name) out.push(s);
  return out;
}

function belongs(family: Family, sampleName: string): boolean {
  const suffix = sampleName.startsWith(family.name) ? sampleName.slice(family.name.length) : null;
  if (suffix === null) return false;
  switch (family.type) {
    case 'histogram':
      return suffix === '_bucket' || suffix === '_sum' || suffix === '_count';
    case 'summary':
      return suffix === '' || suffix === '_sum' || suffix === '_count';
    default:
      return suffix === '';
  }
}

function parseSample(line: string, at: string): Sample {
  const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0];
  if (!name) throw new Error(`${at}: no metric name`);
  let i = name.length;
  const labels: Record<string, string> = {};
  if (line[i] === '{') {
    i++;
    while (line[i] !== '}') {
      const labelName = /^[^=]*/.exec(line.slice(i))?.[0] ?? '';
      if (!LABEL_NAME.test(labelName)) throw new Error(`${at}: bad label name ${JSON.stringify(labelName)}`);
      if (labelName in labels) throw new Error(`${at}: label ${labelName} twice`);
      i += labelName.length;
      if (line.slice(i, i + 2) !== '="') throw new Error(`${at}: label ${labelName} without ="`);
      i += 2;
      let value = '';
      for (;;) {
        const c = line[i];
        if (c === undefined) throw new Error(`${at}: unterminated label value`);
        i++;
        if (c === '"') break;
        if (c === '\\') {
          const e = line[i];
          i++;
          if (e === '\\') value += '\\';
          else if (e === '"') value += '"';
          else if (e === 'n') value += '\n';
          else throw new Error(`${at}: bad escape \\${e ?? ''} in a label value`);
        } else value += c;
      }
      labels[labelName] = value;
      if (line[i] === ',') i++;
      else if (line[i] !== '}') throw new Error(`${at}: expected , or } after a label`);
    }
    i++;
  }
  const rest = line.slice(i);
  const parts = /^ (\S+)(?: (-?\d+))?$/.exec(rest);
  if (!parts?.[1]) throw new Error(`${at}: expected " <value> [timestamp]"`);
  return { name, labels, value: parseValue(parts[1], at) };
}

/** A value as Go's strconv.ParseFloat reads it (what Prometheus uses): NaN and Inf in any case. */
function parseValue(text: string, at: string): number {
  const special = /^([+-]?)(inf|infinity)$/i.exec(text);
  if (special) return special[1] === '-' ? -Infinity : Infinity;
  if (/^nan$/i.test(text)) return NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) throw new Error(`${at}: bad value ${text}`);
  return Number(text);
}

function unescapeHelp(text: string, at: string): string {
  return text.replace(/\\(.?)/g, (_, e: string) => {
    if (e === '\\') return '\\';
    if (e === 'n') return '\n';
    throw new Error(`${at}: bad escape \\${e} in HELP`);
  });
}

/** Buckets cumulative, ending at +Inf, which equals _count: per label set. */
function checkHistogram(family: Family): void {
  const groups = new Map<string, { buckets: Array<{ le: number; value: number }>; count: number | undefined }>();
  const keyOf = (labels: Record<string, string>): string =>
    JSON.stringify(Object.entries(labels).filter(([k]) => k !== 'le').sort(([a], [b]) => a.localeCompare(b)));
  for (const s of family.samples) {
    const key = keyOf(s.labels);
    const group = groups.get(key) ?? { buckets: [], count: undefined };
    groups.set(key, group);
    if (s.name.endsWith('_bucket')) {
      const le = s.labels['le'];
      if (le === undefined) throw new Error(`${family.name}: a bucket without le`);
      group.buckets.push({ le: parseValue(le, family.name), value: s.value });
    } else if (s.name.endsWith('_count')) group.count = s.value;
  }
  for (const [key, { buckets, count }] of groups) {
    const sorted = [...buckets].sort((a, b) => a.le - b.le);
    for (let i = 1; i < sorted.length; i++) {
      if ((sorted[i]?.value ?? 0) < (sorted[i - 1]?.value ?? 0)) throw new Error(`${family.name}${key}: buckets not cumulative`);
    }
    const last = sorted.at(-1);
    if (!last || last.le !== Infinity) throw new Error(`${family.name}${key}: no +Inf bucket`);
    if (last.value !== count) throw new Error(`${family.name}${key}: +Inf bucket ${last.value} is not _count ${String(count)}`);
  }
}
