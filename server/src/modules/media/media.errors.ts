import { defineErrors } from '../../platform/errors/app-error.js';

export const mediaError = defineErrors({
  asset_not_found: 404,
  folder_not_found: 404,
  upload_not_found: 404,
  /** The upload is complete (its asset exists): it takes no more writes. */
  upload_finished: 409,
  /** A scheduled (or publishing) message uses the asset. */
  asset_in_use: 409,
  asset_not_ready: 409,
  /** Shared from an organisation above: readable here, changed only there. */
  asset_read_only: 403,
  not_cancellable: 409,
  /** The bytes are not an image or video the pipeline supports (whatever the name says). */
  unsupported_file_type: 415,
  empty_file: 400,
  /** The SHA-256 the client declared does not match the bytes received (tus: 460). */
  checksum_mismatch: 460,
  upload_too_large: 413,
  /** The organisation's media storage is full. */
  quota_exceeded: 507,
  /** content.media names an asset that does not exist here, has expired, or is not ready. */
  media_not_attachable: 400,
  /** A network variant picks a rendition the asset does not have, or one that network cannot take. */
  rendition_not_available: 400,
  /** An image in the message lacks alt text in one of the message's languages. */
  alt_text_missing: 409,
  link_invalid: 404,
  range_not_satisfiable: 416,
});
