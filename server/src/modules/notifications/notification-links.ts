/** Where a notification takes its reader in the console (GUDDU_PUBLIC_URL). */
export function consoleLink(publicUrl: string, subject: { type: string; id: string }): string {
  const base = publicUrl.replace(/\/+$/, '');
  const id = encodeURIComponent(subject.id);
  switch (subject.type) {
    case 'message':
      return `${base}/messages/view/?id=${id}`;
    case 'channel':
      return `${base}/channels/`;
    case 'user':
      return `${base}/security/`;
    default:
      return `${base}/notifications/`;
  }
}
