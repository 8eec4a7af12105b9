// What the player's P2P script reads from `data-p2p` (JSON), written by the p2p capability's player add-on.
// It lives on the browser's side because web/ imports nothing of the server.
export interface PlayerP2PConfig {
  swarmId: string;
  trackers: string[];
  stun: string[];
  /** The site default, used until the fan chooses (their choice is kept in the browser). */
  defaultOn: boolean;
  /** Rendition name → URL of its hash list. */
  hashes: Record<string, string>;
  /** Where the player reports its byte counters. */
  reportUrl: string;
}
