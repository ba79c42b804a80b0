// Guddu's English corrections on top of VADER (decision 0024). VADER was tuned on social media at
// large; in comments to a ministry, formal notices read as praise ("public holiday", "please",
// "approved", "special desk") and grievances are told in neutral words ("stranded", "no reply",
// "still waiting"). Valences on VADER's scale, added to its sum before normalising.

/** Added to VADER's sum: negative to cancel a valence that misleads in official text, or one VADER lacks. */
export const ENGLISH_OVERRIDES: ReadonlyMap<string, number> = new Map([
  ['holiday', -2.0],
  ['holidays', -1.5],
  ['please', -1.3],
  ['kindly', -1.8],
  ['share', -1.3],
  ['approved', -1.8],
  ['special', -1.5],
  ['free', -1.5],
  ['agreement', -1.3],
  ['promise', -2.5],
  ['improved', -3.0],
  ['care', -2.2],
  ['cares', -2.2],
  ['stranded', -2.0],
  ['late', -1.5],
  ['delayed', -1.5],
  ['pending', -1.2],
  ['silent', -1.5],
  ['silence', -1.5],
  ['jail', -1.5],
  ['dying', -2.5],
  ['ceremonies', -0.8],
  ['nobody', -1.2],
  ['polite', 1.5],
  ['courteous', 1.5],
  ['commendable', 2.5],
  ['hats', 1.5],
  ['safely', 1.5],
  ['smoothly', 1.5],
  ['unanswered', -2.0],
]);

/** Grievance phrases VADER reads as mild praise ("no help" scores +0.13). */
export const ENGLISH_PHRASES: ReadonlyArray<readonly [RegExp, number]> = [
  [/\b(no|without|never got any|did not get any|didn't get any)\s+(help|reply|response|update|answer|support|sympathy)\b/gi, -3.5],
  [/\b(nobody|no one|no-one)\b[^.?!]{0,40}\b(help|helps|answers|picks up|came|cares)\b/gi, -2.5],
  [/\bnot\s+(polite|helpful|clear|useful|good|happy|satisfied)\b/gi, -1.5],
  [/\bstill\s+(no|waiting|not)\b/gi, -1.5],
];
