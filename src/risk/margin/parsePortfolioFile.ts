import { z } from 'zod';
import { LEVELS } from '../../breaker/levels.ts';
import { RiskError } from '../contagion/riskError.ts';
import { MARGIN_PRESETS, type MarginPolicyOverrides } from './marginPolicy.ts';
import type { Portfolio, Position } from './portfolio.ts';

const positive = z.number().finite().positive();
const chainName = z.string().min(1);

const optionSchema = z
  .object({
    kind: z.literal('option'),
    underlying: z.string().min(1),
    type: z.enum(['call', 'put']),
    strike: positive,
    expiryDays: positive.optional(),
    timeYears: positive.optional(),
    quantity: z.number().finite(),
    volAnnual: positive.optional(),
    settlementChain: chainName.optional(),
  })
  .strict()
  .refine((o) => (o.expiryDays === undefined) !== (o.timeYears === undefined), {
    message: 'give exactly one of expiryDays and timeYears',
  });

const positionSchema = z.union([
  optionSchema,
  z
    .object({
      kind: z.literal('perp'),
      underlying: z.string().min(1),
      quantity: z.number().finite(),
      settlementChain: chainName.optional(),
    })
    .strict(),
  z.object({ kind: z.literal('spot'), asset: z.string().min(1), quantity: z.number().finite() }).strict(),
]);

const unit = z.number().finite().min(0).max(1);

/** The portfolio file (YAML or JSON, docs/risk.md "Portfolio file"). */
export const portfolioFileSchema = z
  .object({
    rate: z.number().finite().min(-1).max(1).optional(),
    markets: z.record(
      z.string().min(1),
      z
        .object({
          priceUsd: positive,
          volAnnual: positive.optional(),
          stable: z.boolean().optional(),
          haircut: unit.optional(),
          unobservable: z
            .object({
              ageDays: z.number().finite().min(0),
              fallback: z.enum(['last_good_band', 'recovery_adjusted']).optional(),
            })
            .strict()
            .optional(),
        })
        .strict(),
    ),
    accounts: z
      .array(z.object({ id: z.string().min(1), positions: z.array(positionSchema) }).strict())
      .min(1),
    policy: z
      .object({
        preset: z.enum(['deribit']).optional(),
        grid: z
          .object({
            priceMoves: z.array(z.number().finite().gt(-1)).min(1).optional(),
            volShifts: z.array(z.number().finite()).min(1).optional(),
          })
          .strict()
          .optional(),
        horizonDays: positive.optional(),
        tailProbability: z.number().finite().gt(0).max(1).optional(),
        maintenanceRatio: unit.optional(),
        volFloor: positive.optional(),
        sourceHaircuts: z.record(z.string(), unit).optional(),
        defaultSourceHaircut: unit.optional(),
        concentrationLimit: unit.optional(),
        concentrationLimits: z.record(z.string(), unit).optional(),
        concentrationHaircut: unit.optional(),
        failureScenarios: z.boolean().optional(),
        failureVolShift: z.number().finite().min(0).max(5).optional(),
        tenorVolShock: z
          .object({
            up: z.number().finite().min(0),
            down: unit,
            shortTermPower: z.number().finite().min(0),
            longTermPower: z.number().finite().min(0),
            minVolUp: z.number().finite().min(0),
          })
          .strict()
          .optional(),
        extendedMoves: z.array(z.number().finite().gt(-1)).optional(),
        extendedFraction: unit.optional(),
        pauseLiquidationsAtLevel: z.enum(LEVELS).optional(),
      })
      .strict()
      .optional(),
    cover: z
      .object({
        capitalUsd: z.number().finite().min(0),
        horizonDays: positive.optional(),
        paths: z.number().int().positive().max(10_000_000).optional(),
        seed: z.number().int().optional(),
        costOfCapital: unit.optional(),
        confidence: z.number().gt(0).lt(1).optional(),
        policies: z
          .array(
            z
              .object({
                id: z.string().optional(),
                asset: z.string().min(1),
                insuredUsd: z.number().finite().min(0),
              })
              .strict(),
          )
          .min(1),
      })
      .strict()
      .optional(),
  })
  .strict();

export type PortfolioFile = z.infer<typeof portfolioFileSchema>;

export type CoverSection = NonNullable<PortfolioFile['cover']>;

export type ParsePortfolioFileReturnType = {
  portfolio: Portfolio;
  policy: MarginPolicyOverrides;
  cover?: CoverSection;
};

function toPath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(root)' : path.map(String).join('.');
}

/**
 * Validates a parsed portfolio file (the value of `JSON.parse` or `YAML.parse`) into a
 * {@link Portfolio}, margin policy overrides and the optional cover section. Options give
 * `expiryDays` (Actual/365 fixed) or `timeYears`.
 *
 * @throws {RiskError} `invalid_input` whose message lists every problem as `path: reason`.
 */
export function parsePortfolioFile(value: unknown): ParsePortfolioFileReturnType {
  const parsed = portfolioFileSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${toPath(issue.path)}: ${issue.message}`);
    throw new RiskError('invalid_input', `invalid portfolio: ${issues.join('; ')}`, {
      field: toPath(parsed.error.issues[0]?.path ?? []),
      value: issues,
    });
  }
  const file = parsed.data;
  const issues: string[] = [];
  for (const [a, account] of file.accounts.entries()) {
    for (const [p, position] of account.positions.entries()) {
      const asset = position.kind === 'spot' ? position.asset : position.underlying;
      if (!(asset in file.markets))
        issues.push(`accounts.${a}.positions.${p}: no market data for asset "${asset}"`);
      if (
        position.kind === 'option' &&
        position.volAnnual === undefined &&
        file.markets[asset]?.volAnnual === undefined
      )
        issues.push(
          `accounts.${a}.positions.${p}.volAnnual: no volatility for ${asset} on the position or its market`,
        );
    }
  }
  if (issues.length > 0) {
    throw new RiskError('invalid_input', `invalid portfolio: ${issues.join('; ')}`, {
      field: 'accounts',
      value: issues,
    });
  }
  const portfolio: Portfolio = {
    markets: Object.fromEntries(
      Object.entries(file.markets).map(([name, m]) => [
        name,
        Object.fromEntries(Object.entries(m).filter(([, v]) => v !== undefined)),
      ]),
    ) as Portfolio['markets'],
    accounts: file.accounts.map((account) => ({
      id: account.id,
      positions: account.positions.map((position): Position => {
        if (position.kind !== 'option') return withoutUndefined(position) as Position;
        const { expiryDays, timeYears, ...rest } = position;
        return withoutUndefined({
          ...rest,
          timeYears: timeYears ?? (expiryDays as number) / 365,
        }) as Position;
      }),
    })),
  };
  if (file.rate !== undefined) portfolio.rate = file.rate;
  const result: ParsePortfolioFileReturnType = {
    portfolio,
    policy: toPolicyOverrides(file.policy),
  };
  if (file.cover) result.cover = file.cover;
  return result;
}

/** A preset's fields, then the file's own fields over them. */
function toPolicyOverrides(policy: PortfolioFile['policy']): MarginPolicyOverrides {
  const { preset, ...rest } = policy ?? {};
  return {
    ...(preset ? MARGIN_PRESETS[preset] : {}),
    ...(withoutUndefined(rest) as MarginPolicyOverrides),
  };
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
