import type { Network } from '../../publishing/channel-access.port.js';
import { blueskyConnector } from './bluesky.connector.js';
import type { Connector } from './connector.js';
import { facebookConnector } from './facebook.connector.js';
import { instagramConnector } from './instagram.connector.js';
import { linkedinConnector } from './linkedin.connector.js';
import { mastodonConnector } from './mastodon.connector.js';
import { xConnector } from './x.connector.js';
import { youtubeConnector } from './youtube.connector.js';

/** One connector per network; a network missing here is a compile error. */
export const CONNECTORS: Record<Network, Connector> = {
  facebook: facebookConnector,
  instagram: instagramConnector,
  x: xConnector,
  linkedin: linkedinConnector,
  youtube: youtubeConnector,
  mastodon: mastodonConnector,
  bluesky: blueskyConnector,
};
