/**
 * Browsers list time zones by ICU's older canonical names (Asia/Calcutta); officials know the
 * current IANA names (Asia/Kolkata), which the server accepts too. Shown and sent: the current.
 */
const CURRENT: Record<string, string> = {
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Europe/Kiev': 'Europe/Kyiv',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
};

const current = (zone: string) => CURRENT[zone] ?? zone;

export function browserZone(): string {
  return current(Intl.DateTimeFormat().resolvedOptions().timeZone);
}

export function timeZones(): string[] {
  return [...new Set([...Intl.supportedValuesOf('timeZone').map(current), browserZone()])].sort();
}
