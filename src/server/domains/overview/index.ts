/** The overview: a read model across the domains for the Home page (what needs attention now). It changes nothing. */
export { riskOverview } from "./queries/risk-overview";
