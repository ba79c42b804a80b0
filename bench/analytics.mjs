// `npm run bench -- analytics`: sentiment on Guddu's labelled set (accuracy and macro-F1 per
// language on the held-out half, next to the raw libraries measured in the same run) and
// comments/s. See bench/README.md.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fmt, table } from './lib/format.mjs';
import { ROOT } from './lib/guddu.mjs';

const SENTIMENT = join(ROOT, 'server', 'dist', 'modules', 'analytics', 'sentiment');
const SET = join(ROOT, 'server', 'src', 'modules', 'analytics', 'sentiment', 'sentiment-evaluation.tsv');
const TARGET_F1 = { en: 0.85, hi: 0.75 };

export const description = 'sentiment accuracy/macro-F1 per language (held-out half) and comments/s';

export const options = {
  seconds: { type: 'string', default: '3', help: 'seconds spent measuring comments/s (default 3)' },
  split: { type: 'string', arg: 'NAME', default: 'held-out', help: 'held-out (default) or development' },
};

/** The libraries alone, as the issue measured them: VADER's compound; nlp.js's afinn_hi vote. */
async function rawLibraries() {
  const require = createRequire(join(ROOT, 'server', 'package.json'));
  const vader = require('vader-sentiment');
  const { SentimentAnalyzer } = require('@nlpjs/sentiment');
  const { LangHi } = require('@nlpjs/lang-hi');
  const { Container } = require('@nlpjs/core');
  const container = new Container();
  container.use(LangHi);
  const nlp = new SentimentAnalyzer({ container });
  const label = (s) => (s >= 0.05 ? 'positive' : s <= -0.05 ? 'negative' : 'neutral');
  return {
    en: async (text) => label(vader.SentimentIntensityAnalyzer.polarity_scores(text).compound),
    hi: async (text) => {
      const { sentiment } = await nlp.process({ locale: 'hi', text });
      return sentiment.score > 0 ? 'positive' : sentiment.score < 0 ? 'negative' : 'neutral';
    },
  };
}

export async function run(values) {
  const { analyseOne } = await import(join(SENTIMENT, 'lexicon.provider.js'));
  const { loadEvaluationSet, score } = await import(join(SENTIMENT, 'evaluation.js'));
  const rows = loadEvaluationSet(SET).filter((r) => r.split === values.split);
  const raw = await rawLibraries();
  const out = [['language', 'method', 'n', 'accuracy', 'macro-F1', 'target']];
  let failed = false;
  for (const lang of ['en', 'hi']) {
    const subset = rows.filter((r) => r.lang === lang);
    const expected = subset.map((r) => r.label);
    const guddu = score(expected, subset.map((r) => analyseOne(r.text).label));
    const baseline = score(expected, await Promise.all(subset.map((r) => raw[lang](r.text))));
    const name = lang === 'en' ? 'English' : 'Hindi + Hinglish';
    out.push([name, 'Guddu', fmt.int(guddu.n), fmt.ratio(guddu.accuracy), fmt.ratio(guddu.macroF1), `>= ${TARGET_F1[lang]}`]);
    out.push([name, lang === 'en' ? 'raw VADER' : 'raw nlp.js afinn_hi', fmt.int(baseline.n), fmt.ratio(baseline.accuracy), fmt.ratio(baseline.macroF1), '']);
    if (guddu.macroF1 < TARGET_F1[lang]) failed = true;
  }
  process.stdout.write(`Sentiment on the ${values.split} half of ${SET.replace(ROOT, '')}\n${table(out)}\n\n`);

  const texts = loadEvaluationSet(SET).map((r) => r.text);
  const seconds = Number(values.seconds);
  let done = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    for (const t of texts) analyseOne(t);
    done += texts.length;
  }
  const rate = done / ((performance.now() - start) / 1000);
  process.stdout.write(`Throughput (one core, offline provider): ${fmt.rps(rate)} comments/s\n`);
  return failed ? 1 : 0;
}
