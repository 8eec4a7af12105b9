/**
 * The capabilities of this site, in order. Order matters twice: services are built in this order, and
 * route groups are mounted in it, so federation (content negotiation on `/c/…` and `/v/…`) comes before
 * the page routes it hands HTML requests to, and channels before the capabilities that fill its slots
 * (slot contributions are shown in this order). Adding a capability: its folder, one line here, a migration.
 */
import { accountsCapability } from './accounts/index.js';
import { bundlesCapability } from './funding/bundles/index.js';
import { channelsCapability } from './channels/index.js';
import { communityCapability } from './community/index.js';
import { downloadsCapability } from './downloads/index.js';
import type { CapabilityManifest } from './core/module.js';
import { federationCapability } from './federation/index.js';
import { recommendationsCapability } from './federation/recommendations/index.js';
import { feedsCapability } from './feeds/index.js';
import { fanBudgetCapability } from './funding/fan-budget/index.js';
import { campaignsCapability } from './funding/campaigns/index.js';
import { membershipsCapability } from './funding/memberships/index.js';
import { moderationCapability } from './moderation/index.js';
import { movingCapability } from './moving/index.js';
import { notificationsCapability } from './notifications/index.js';
import { p2pCapability } from './p2p/index.js';
import { paymentsCapability } from './funding/payments/index.js';
import { portabilityCapability } from './portability/index.js';
import { fundingStudioCapability } from './funding/studio/index.js';
import { tipsCapability } from './funding/tips/index.js';
import { setupCapability } from './setup/index.js';
import { siteCapability } from './site/index.js';
import { studioCapability } from './studio/index.js';
import { videosCapability } from './videos/index.js';

export const MODULES: readonly CapabilityManifest[] = [
  siteCapability,
  accountsCapability,
  setupCapability,
  feedsCapability,
  federationCapability,
  channelsCapability,
  videosCapability,
  downloadsCapability,
  p2pCapability,
  studioCapability,
  moderationCapability,
  paymentsCapability,
  tipsCapability,
  bundlesCapability,
  membershipsCapability,
  fanBudgetCapability,
  campaignsCapability,
  fundingStudioCapability,
  communityCapability,
  recommendationsCapability,
  movingCapability,
  notificationsCapability,
  portabilityCapability,
];
