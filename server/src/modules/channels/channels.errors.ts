import { defineErrors } from '../../platform/errors/app-error.js';

export const channelsError = defineErrors({
  channel_not_found: 404,
  connect_attempt_not_found: 404,
  /** Shared from an organisation above: usable here, changed only there. */
  channel_read_only: 403,
  /** The callback's state is unknown, another user's or session's, expired, or already used. */
  connect_state_invalid: 400,
  /** A Mastodon instance or Bluesky PDS whose host resolves to a private, loopback or reserved address. */
  server_not_public: 400,
  /** The network said no (consent denied, code refused) or answered something unusable. */
  connect_failed: 502,
  /** The network has no OAuth client configured (GUDDU_<NETWORK>_CLIENT_ID/SECRET). */
  network_not_configured: 409,
  /** A sandbox connect while the sandbox networks are not running (GUDDU_SANDBOX=off). */
  sandbox_off: 409,
  /** This network connects another way (Bluesky: handle and app password). */
  wrong_connect_flow: 409,
  /** The chosen accounts are not among those the network returned. */
  account_not_offered: 422,
  /** Bluesky refused the handle or app password. */
  credentials_refused: 422,
  /** The channel needs a person: re-authorise it, or it was disconnected (deliveries). */
  channel_unavailable: 409,
  /** The network could not refresh the token just now; try again. */
  channel_refresh_failed: 503,
  /** content.targets names channels this message may not use. */
  channel_not_usable: 422,
  /** Someone else changed the channel since it was read (the revision sent is not the current one). */
  stale_revision: 412,
});
