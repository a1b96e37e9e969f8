/**
 * The AWS Regions KMS has an endpoint in, as data. A request for any other region is refused before it can create
 * state: a caller signing with made-up regions must not grow the model's partitions or the quota board's slots.
 *
 * Sources, one per row:
 * - `GR`: AWS General Reference, "AWS Key Management Service endpoints and quotas"
 *   (https://docs.aws.amazon.com/general/latest/gr/kms.html), checked late 2026.
 * - `SDK`: the endpoint partitions of the installed AWS SDK (`@aws-sdk/core` 3.981,
 *   `util-endpoints/lib/aws/partitions.js`), for regions that page does not list (isolated and sovereign partitions,
 *   the newest launches). KMS is a foundational service, available in every region at launch; the partitions' global
 *   pseudo-regions (`aws-global`, …) are not KMS endpoints and are left out.
 *
 * Regions launched after this table, or made-up names a test needs, are added with the model option `regions`.
 */

const GR = 'AWS General Reference, AWS KMS endpoints';
const SDK = '@aws-sdk/core 3.981 endpoint partitions';

/** One region KMS answers in. */
export interface KmsRegionRow {
  readonly region: string;
  readonly name: string;
  readonly source: string;
}

/** Every region the model answers in unless told of more (`KmsModelOptions.regions`). */
export const KMS_REGIONS: readonly KmsRegionRow[] = Object.freeze([
  { region: 'us-east-1', name: 'US East (N. Virginia)', source: GR },
  { region: 'us-east-2', name: 'US East (Ohio)', source: GR },
  { region: 'us-west-1', name: 'US West (N. California)', source: GR },
  { region: 'us-west-2', name: 'US West (Oregon)', source: GR },
  { region: 'af-south-1', name: 'Africa (Cape Town)', source: GR },
  { region: 'ap-east-1', name: 'Asia Pacific (Hong Kong)', source: GR },
  { region: 'ap-east-2', name: 'Asia Pacific (Taipei)', source: SDK },
  { region: 'ap-northeast-1', name: 'Asia Pacific (Tokyo)', source: GR },
  { region: 'ap-northeast-2', name: 'Asia Pacific (Seoul)', source: GR },
  { region: 'ap-northeast-3', name: 'Asia Pacific (Osaka)', source: GR },
  { region: 'ap-south-1', name: 'Asia Pacific (Mumbai)', source: GR },
  { region: 'ap-south-2', name: 'Asia Pacific (Hyderabad)', source: GR },
  { region: 'ap-southeast-1', name: 'Asia Pacific (Singapore)', source: GR },
  { region: 'ap-southeast-2', name: 'Asia Pacific (Sydney)', source: GR },
  { region: 'ap-southeast-3', name: 'Asia Pacific (Jakarta)', source: GR },
  { region: 'ap-southeast-4', name: 'Asia Pacific (Melbourne)', source: GR },
  { region: 'ap-southeast-5', name: 'Asia Pacific (Malaysia)', source: SDK },
  { region: 'ap-southeast-6', name: 'Asia Pacific (New Zealand)', source: SDK },
  { region: 'ap-southeast-7', name: 'Asia Pacific (Thailand)', source: SDK },
  { region: 'ca-central-1', name: 'Canada (Central)', source: GR },
  { region: 'ca-west-1', name: 'Canada West (Calgary)', source: GR },
  { region: 'eu-central-1', name: 'Europe (Frankfurt)', source: GR },
  { region: 'eu-central-2', name: 'Europe (Zurich)', source: GR },
  { region: 'eu-north-1', name: 'Europe (Stockholm)', source: GR },
  { region: 'eu-south-1', name: 'Europe (Milan)', source: GR },
  { region: 'eu-south-2', name: 'Europe (Spain)', source: GR },
  { region: 'eu-west-1', name: 'Europe (Ireland)', source: GR },
  { region: 'eu-west-2', name: 'Europe (London)', source: GR },
  { region: 'eu-west-3', name: 'Europe (Paris)', source: GR },
  { region: 'il-central-1', name: 'Israel (Tel Aviv)', source: GR },
  { region: 'me-central-1', name: 'Middle East (UAE)', source: GR },
  { region: 'me-south-1', name: 'Middle East (Bahrain)', source: GR },
  { region: 'me-west-1', name: 'Middle East (Saudi Arabia)', source: SDK },
  { region: 'mx-central-1', name: 'Mexico (Central)', source: SDK },
  { region: 'sa-east-1', name: 'South America (Sao Paulo)', source: GR },
  { region: 'sa-west-1', name: 'South America (Chile)', source: SDK },
  { region: 'us-gov-east-1', name: 'AWS GovCloud (US-East)', source: GR },
  { region: 'us-gov-west-1', name: 'AWS GovCloud (US-West)', source: GR },
  { region: 'cn-north-1', name: 'China (Beijing)', source: SDK },
  { region: 'cn-northwest-1', name: 'China (Ningxia)', source: SDK },
  { region: 'eusc-de-east-1', name: 'AWS European Sovereign Cloud (Germany)', source: SDK },
  { region: 'us-iso-east-1', name: 'US ISO East', source: SDK },
  { region: 'us-iso-west-1', name: 'US ISO West', source: SDK },
  { region: 'us-isob-east-1', name: 'US ISOB East (Ohio)', source: SDK },
  { region: 'us-isob-west-1', name: 'US ISOB West', source: SDK },
  { region: 'eu-isoe-west-1', name: 'EU ISOE West', source: SDK },
  { region: 'us-isof-east-1', name: 'US ISOF East', source: SDK },
  { region: 'us-isof-south-1', name: 'US ISOF South', source: SDK },
]);


/** The regions of the table plus `extra`. */
export function kmsRegionSet(extra: readonly string[] = []): ReadonlySet<string> {
  return new Set([...KMS_REGIONS.map((row) => row.region), ...extra]);
}
