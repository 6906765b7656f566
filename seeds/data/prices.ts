import { VerificationStatus } from '../../src/modules/evidence/evidence.entity.js';
import { BillingPeriod, PriceCalculation, PriceUnit, ProvisioningType, TieredRule, type StoredTier } from '../../src/modules/price/price.entity.js';
import { addDays, assertDate } from './dates.js';

/*
 * Verified prices for some of the sample solutions (seeds/data/suppliers.ts), by solution name. The
 * figures are invented but of the order NHS buyers see: GP clinical systems at roughly £1 to £1.30 per
 * registered patient a year, patient-facing and online-consultation tools at pence to tens of pence
 * per patient a year, telephony and services per practice a month, implementation per practice once.
 * One item (Pennine GP's licence) has a superseded row, to show that history is kept and which
 * price applies (the price rule, price.store.ts).
 */

export interface PriceSeed {
  item: string;
  unit: PriceUnit;
  unitName: string | null;
  provisioning: ProvisioningType;
  calculation: PriceCalculation;
  tieredRule: TieredRule | null;
  billingPeriod: BillingPeriod;
  pricePence: number | null;
  tiers: StoredTier[] | null;
  effectiveFrom: string;
  effectiveUntil: string | null;
  verificationStatus: VerificationStatus;
}

const flat = (item: string, unit: PriceUnit, provisioning: ProvisioningType, billingPeriod: BillingPeriod, pricePence: number, unitName: string | null = null) => ({
  item, unit, unitName, provisioning, calculation: PriceCalculation.FLAT, tieredRule: null, billingPeriod, pricePence, tiers: null,
});
const tiered = (item: string, unit: PriceUnit, provisioning: ProvisioningType, billingPeriod: BillingPeriod, tieredRule: TieredRule, tiers: [number, number | null, number][]) => ({
  item, unit, unitName: null, provisioning, calculation: PriceCalculation.TIERED, tieredRule, billingPeriod, pricePence: null,
  tiers: tiers.map(([lowerBound, upperBound, pricePence]) => ({ lowerBound, upperBound, pricePence })),
});

const { PER_PATIENT, PER_PRACTICE, PER_USER, PER_LICENCE, PER_DEVICE, NAMED } = PriceUnit;
const { PATIENT, DECLARATIVE, ON_DEMAND } = ProvisioningType;
const { ONE_OFF, MONTHLY, YEARLY } = BillingPeriod;

/** The sample's prices, relative to `today` (in effect from about a year ago unless said otherwise). */
export function samplePrices(today: string): Record<string, PriceSeed[]> {
  assertDate(today);
  const from = addDays(today, -365);
  const verified = (p: Omit<PriceSeed, 'effectiveFrom' | 'effectiveUntil' | 'verificationStatus'>, effectiveFrom = from, effectiveUntil: string | null = null): PriceSeed => ({
    ...p, effectiveFrom, effectiveUntil, verificationStatus: VerificationStatus.VERIFIED,
  });
  return {
    'Pennine GP': [
      // £1.12 until the £1.18 price took over 200 days ago: kept as history.
      verified(flat('Clinical system licence', PER_PATIENT, PATIENT, YEARLY, 112), addDays(today, -730)),
      verified(flat('Clinical system licence', PER_PATIENT, PATIENT, YEARLY, 118), addDays(today, -200)),
      verified(flat('Implementation and data migration', PER_PRACTICE, PATIENT, ONE_OFF, 350_000)),
    ],
    'Meridian Clinical': [
      verified(tiered('Clinical system licence', PER_PATIENT, PATIENT, YEARLY, TieredRule.VOLUME, [[1, 50_000, 125], [50_001, 250_000, 112], [250_001, null, 99]])),
      verified(flat('Training', NAMED, ON_DEMAND, YEARLY, 65_000, 'training day')),
    ],
    'CalderCare GP': [
      verified(flat('Clinical system licence', PER_PATIENT, PATIENT, YEARLY, 109)),
      verified(flat('Onboarding', PER_PRACTICE, PATIENT, ONE_OFF, 250_000)),
    ],
    'Severnside Clinical': [
      verified(tiered('Clinical system licence', PER_PATIENT, PATIENT, YEARLY, TieredRule.CUMULATIVE, [[1, 10_000, 130], [10_001, null, 95]])),
    ],
    'Harbourview Consult': [verified(flat('Online consultation', PER_PATIENT, PATIENT, YEARLY, 42))],
    'Riverside Practice Door': [verified(flat('Practice subscription', PER_PRACTICE, PATIENT, MONTHLY, 29_500))],
    'Wolds Patient App': [verified(flat('Patient app', PER_PATIENT, PATIENT, YEARLY, 15))],
    'Kestrel Cloud Telephony': [
      verified(tiered('Cloud telephony', PER_PRACTICE, PATIENT, MONTHLY, TieredRule.SINGLE_FIXED, [[1, 10, 45_000], [11, null, 39_500]])),
      verified(flat('Handsets', PER_DEVICE, DECLARATIVE, ONE_OFF, 8_900)),
    ],
    'Fenland DocFlow': [verified(flat('Document workflow', PER_PATIENT, PATIENT, YEARLY, 21))],
    'Marlstone Hub Booking': [
      verified(tiered('Hub booking users', PER_USER, DECLARATIVE, MONTHLY, TieredRule.VOLUME, [[1, 25, 1_200], [26, 100, 900], [101, null, 700]])),
    ],
    'Saltmarsh Scribe': [verified(flat('Ambient scribe licence', PER_LICENCE, DECLARATIVE, MONTHLY, 4_900))],
  };
}
