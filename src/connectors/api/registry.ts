import { googleAnalytics } from '../google-analytics/google-analytics.api.ts';
import { microsoftGraph } from '../microsoft-graph/microsoft-graph.api.ts';
import { mollie } from '../mollie/mollie.api.ts';
import { moneybird } from '../moneybird/moneybird.api.ts';
import { myOnlineStore } from '../myonlinestore/myonlinestore.api.ts';
import { shopify } from '../shopify/shopify.api.ts';
import { webwinkelkeur } from '../webwinkelkeur/webwinkelkeur.api.ts';
import type { ProcessorApiFactory } from './processor-api.ts';

/**
 * Every processor API Inzage can talk to, by the data map's `connector:` name.
 * A new processor: one import and one entry here.
 */
export const PROCESSOR_APIS: ProcessorApiFactory[] = [
  myOnlineStore,
  mollie,
  moneybird,
  microsoftGraph,
  webwinkelkeur,
  googleAnalytics,
  shopify,
];

export const findProcessorApi = (connector: string): ProcessorApiFactory | undefined =>
  PROCESSOR_APIS.find((f) => f.connector === connector);
