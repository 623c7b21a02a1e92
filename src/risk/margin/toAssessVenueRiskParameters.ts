import type { RiskStatus } from '../contagion/toSourceHazards.ts';
import type { assessVenueRisk } from './assessVenueRisk.ts';
import type { ParsePortfolioFileReturnType } from './parsePortfolioFile.ts';

/** The parameters of {@link assessVenueRisk} for a parsed portfolio file and an optional chain status. */
export function toAssessVenueRiskParameters(
  file: ParsePortfolioFileReturnType,
  status?: RiskStatus,
): Parameters<typeof assessVenueRisk>[0] {
  const parameters: Parameters<typeof assessVenueRisk>[0] = {
    portfolio: file.portfolio,
    policy: file.policy,
  };
  if (status) parameters.status = status;
  if (file.cover) {
    const { policies, capitalUsd, ...rest } = file.cover;
    parameters.cover = {
      capitalUsd,
      policies: policies.map((p) => ({ asset: p.asset, insuredUsd: p.insuredUsd })),
      ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)),
    };
  }
  return parameters;
}
