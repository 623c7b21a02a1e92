import { assertFiniteNumber, assertNonNegative, assertPositive, HazardError } from './hazardError.ts';

/**
 * What secures the chain, in tokens, so that the cost to attack follows the token's price:
 * - `proof_of_stake`: BFT proof of stake with `stakedTokens` at stake;
 * - `proof_of_work`: hash power rented for `attackHours`. Its rental cost per hour is taken as
 *   what that hash power earns, `hashCostTokensPerHour` (block subsidy plus fees per hour, e.g.
 *   about 19 BTC on Bitcoin after the 2024 halving), since a miner rents out hash power for no less
 *   than it would mine.
 */
export type SecurityModel =
  | { type: 'proof_of_stake'; stakedTokens: number }
  | { type: 'proof_of_work'; hashCostTokensPerHour: number; attackHours: number };

/**
 * - `liveness`: halt or censor a BFT proof-of-stake chain: 1/3 of the stake;
 * - `safety`: finalize a conflicting history on a BFT proof-of-stake chain: 2/3 of the stake;
 * - `majority`: a 51% attack on proof of work (reorgs and censorship alike): the rental of the
 *   network's whole hash rate for the attack (to outrun the honest miners the attacker needs as much
 *   hash power as they have, so share 1, the crypto51 measure; docs/hazard.md).
 */
export type AttackKind = 'liveness' | 'safety' | 'majority';

/** Share of the stake or hash power that each attack needs. */
export const ATTACK_SHARES: Readonly<Record<AttackKind, number>> = Object.freeze({
  liveness: 1 / 3,
  safety: 2 / 3,
  majority: 1,
});

/** Attacks open against each security model. */
export const ATTACKS_BY_MODEL: Readonly<Record<SecurityModel['type'], readonly AttackKind[]>> = Object.freeze(
  {
    proof_of_stake: Object.freeze(['liveness', 'safety'] as const),
    proof_of_work: Object.freeze(['majority'] as const),
  },
);

/** Value/cost ratio at and below which an attack adds no hazard: unprofitable tenfold. */
export const DEFAULT_RATIO_THRESHOLD = 0.1;
/** Hazard per year added by each e-fold of the value/cost ratio above the threshold. */
export const DEFAULT_HAZARD_PER_YEAR_PER_EFOLD = 0.5;

export type EconomicSecurityInput = {
  model: SecurityModel;
  /** Price of the chain's token, in USD. Must be positive. */
  priceUsd: number;
  /** Value an attack could extract, in USD: e.g. the open interest settled on the chain. */
  valueAtRiskUsd: number;
  /** Share of `valueAtRiskUsd` each attack can extract, in [0, 1]. Default 1 for every attack. */
  extractableShare?: { readonly [A in AttackKind]?: number };
  /** `R0`: ratio at and below which an attack adds nothing. Default {@link DEFAULT_RATIO_THRESHOLD}. */
  ratioThreshold?: number;
  /** `k`, per year. Default {@link DEFAULT_HAZARD_PER_YEAR_PER_EFOLD}. */
  hazardPerYearPerEfold?: number;
};

export type AttackHazard = {
  attack: AttackKind;
  /** Share of the stake or hash power needed. */
  share: number;
  /** Cost to attack, in USD. */
  costUsd: number;
  /** Value the attack could extract, in USD. */
  extractableUsd: number;
  /** `extractableUsd / costUsd`. */
  ratio: number;
  /** Hazard this attack adds, per year. */
  hazardPerYear: number;
};

export type ToEconomicHazardReturnType = {
  /** Sum over the model's attacks, per year. */
  economicPerYear: number;
  attacks: AttackHazard[];
};

/** Tokens whose value secures the chain: the stake, or the hash cost of the attack's duration. */
export function toSecurityTokens(model: SecurityModel): number {
  if (model.type === 'proof_of_stake') {
    assertPositive(model.stakedTokens, 'security.model.stakedTokens');
    return model.stakedTokens;
  }
  if (model.type === 'proof_of_work') {
    assertPositive(model.hashCostTokensPerHour, 'security.model.hashCostTokensPerHour');
    assertPositive(model.attackHours, 'security.model.attackHours');
    return model.hashCostTokensPerHour * model.attackHours;
  }
  const unknown: never = model;
  throw new HazardError('invalid_input', 'security.model.type must be proof_of_stake or proof_of_work', {
    field: 'security.model.type',
    value: (unknown as { type?: unknown }).type,
  });
}

/**
 * The economic-security term of the hazard: how attractive an attack on the chain is.
 *
 * For each attack `a` open against the model (see {@link ATTACKS_BY_MODEL}):
 *
 *   costUsd_a       = share_a * securityTokens * priceUsd
 *   extractableUsd_a = extractableShare_a * valueAtRiskUsd
 *   ratio_a         = extractableUsd_a / costUsd_a
 *   hazard_a        = k * max(0, ln(ratio_a / R0))          per year
 *   economicPerYear = sum over a of hazard_a
 *
 * `securityTokens` is the stake (proof of stake) or `hashCostTokensPerHour * attackHours` (proof
 * of work); `share_a` is 1/3 (liveness), 2/3 (safety) or 1 (majority: the whole hash rate, rented). The cost assumes the
 * attacker acquires that share of the existing stake or hash power at the token's price: a lower
 * bound that ignores slippage and slashing. The term is zero while every attack is unprofitable by
 * a factor `1/R0` (default tenfold), continuous, and non-decreasing in `valueAtRiskUsd` and in
 * `1/priceUsd`; above the threshold each e-fold of the ratio adds `k` (default 0.5) per year, so
 * that at break-even (`ratio = 1`) one attack adds `k ln 10 ≈ 1.15` per year.
 *
 * @throws {HazardError} `invalid_input` for a price, stake or hash cost that is not a positive
 *   finite number, a negative or non-finite value at risk, a share outside [0, 1].
 *
 * @example
 * toEconomicHazard({
 *   model: { type: 'proof_of_stake', stakedTokens: 34e6 },
 *   priceUsd: 3000,
 *   valueAtRiskUsd: 5e9,
 * }).economicPerYear;
 * // liveness: cost 34e9 USD, ratio 0.147, adds 0.5 ln(1.47) ≈ 0.193 per year;
 * // safety: cost 68e9 USD, ratio 0.0735 <= R0, adds 0. Total ≈ 0.193 per year.
 */
export function toEconomicHazard(input: EconomicSecurityInput): ToEconomicHazardReturnType {
  assertPositive(input.priceUsd, 'security.priceUsd');
  assertNonNegative(input.valueAtRiskUsd, 'security.valueAtRiskUsd');
  const ratioThreshold = input.ratioThreshold ?? DEFAULT_RATIO_THRESHOLD;
  assertPositive(ratioThreshold, 'security.ratioThreshold');
  const perEfold = input.hazardPerYearPerEfold ?? DEFAULT_HAZARD_PER_YEAR_PER_EFOLD;
  assertNonNegative(perEfold, 'security.hazardPerYearPerEfold');
  const securityTokens = toSecurityTokens(input.model);

  const attacks = ATTACKS_BY_MODEL[input.model.type].map((attack): AttackHazard => {
    const extractableShare = input.extractableShare?.[attack] ?? 1;
    assertFiniteNumber(extractableShare, `security.extractableShare.${attack}`);
    if (extractableShare < 0 || extractableShare > 1) {
      throw new HazardError(
        'invalid_input',
        `security.extractableShare.${attack} must be in [0, 1], got ${extractableShare}`,
        { field: `security.extractableShare.${attack}`, value: extractableShare },
      );
    }
    const share = ATTACK_SHARES[attack];
    const costUsd = share * securityTokens * input.priceUsd;
    const extractableUsd = extractableShare * input.valueAtRiskUsd;
    const ratio = extractableUsd / costUsd;
    if (!Number.isFinite(ratio)) {
      throw new HazardError('invalid_input', `value/cost ratio of the ${attack} attack is not finite`, {
        field: 'security',
        value: { costUsd, extractableUsd },
      });
    }
    const hazardPerYear = ratio > ratioThreshold ? perEfold * Math.log(ratio / ratioThreshold) : 0;
    return { attack, share, costUsd, extractableUsd, ratio, hazardPerYear };
  });
  const economicPerYear = attacks.reduce((sum, attack) => sum + attack.hazardPerYear, 0);
  return { economicPerYear, attacks };
}
