import { useI18n } from '@/lib/i18n/i18n';

const text = (v: unknown) => (typeof v === 'string' ? v : '');

interface DeliveryLike {
  id?: unknown;
  channel?: unknown;
  status?: unknown;
  url?: unknown;
}

/**
 * DELIVERIES SLOT. The deliveries API is being built in another module; the message detail
 * answer drops undeclared fields, so `deliveries` appears here only once the API declares it.
 * Until then this renders nothing: no placeholder data. Replace with a typed query of the
 * deliveries route (attempts, network links) when it lands.
 */
export function DeliveriesSlot({ message }: { message: object }) {
  const { t } = useI18n();
  const deliveries = (message as { deliveries?: unknown }).deliveries;
  if (!Array.isArray(deliveries)) return null;
  return (
    <section aria-labelledby="deliveries-heading" className="mb-6">
      <h2 id="deliveries-heading" className="mb-2 text-lg font-semibold">{t('detail.deliveries')}</h2>
      <ul className="text-sm">
        {(deliveries as DeliveryLike[]).map((d, i) => (
          <li key={typeof d.id === 'string' ? d.id : i}>
            {text(d.channel)} · {text(d.status)}
            {typeof d.url === 'string' && /^https?:\/\//.test(d.url) ? (
              <>
                {' · '}
                <a className="text-indigo-800 underline" href={d.url} rel="noreferrer noopener" target="_blank">{t('detail.openPost')}</a>
              </>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
