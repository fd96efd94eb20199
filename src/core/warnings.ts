/** Kinds of warning the estimators report through `onWarning`. */
export type WarningKind = 'DISTINCT_CLUSTERS' | 'CONVERGENCE' | 'N_INIT_IGNORED' | 'DISCONNECTED_GRAPH' | 'ASYMMETRIC_AFFINITY';

export type WarningHandler = (message: string, kind: WarningKind) => void;

const warnedKinds = new Set<WarningKind>();

/** The default handler: `console.warn`, once per kind per realm, so that loops of fits do not flood the console. */
export const warnOncePerKind: WarningHandler = (message, kind) => {
  if (warnedKinds.has(kind)) return;
  warnedKinds.add(kind);
  console.warn(`wasmeans: ${message}`);
};
