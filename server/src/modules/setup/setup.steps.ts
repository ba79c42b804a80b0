/** What the operator of a new installation does next, printed once at start with the token. */
export function setupSteps(publicUrl: string, token: string): string[] {
  return [
    'Guddu has no organisation yet. Create the first one and its owner, once:',
    '',
    `  in the console: open ${publicUrl}/setup/ and paste this one-time token: ${token}`,
    '',
    '  or with the API:',
    `  curl -X POST ${publicUrl}/api/v1/setup -H 'content-type: application/json' \\`,
    `    -d '{"token":"${token}","organisationName":"Ministry of External Affairs","email":"you@example.gov","password":"<12+ characters>"}'`,
    '',
    'Then sign in with that email and password (POST /api/v1/auth/login).',
    'The token works once; a restart before setup prints a new one.',
  ];
}
