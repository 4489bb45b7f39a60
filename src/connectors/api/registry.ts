import { googleAnalytics } from '../google-analytics/google-analytics.factory.ts';
import { microsoftGraph } from '../microsoft-graph/microsoft-graph.factory.ts';
import { mollie } from '../mollie/mollie.factory.ts';
import { moneybird } from '../moneybird/moneybird.factory.ts';
import { myOnlineStore } from '../myonlinestore/myonlinestore.factory.ts';
import { shopify } from '../shopify/shopify.factory.ts';
import { webwinkelkeur } from '../webwinkelkeur/webwinkelkeur.factory.ts';
import type { ProcessorApiFactory } from './processor-api.ts';

/**
 * Every processor API Inzage can talk to, by the data map's `connector:` name: their descriptions
 * (`<processor>.factory.ts`), each of which imports its implementation (`<processor>.api.ts`) on first use.
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
