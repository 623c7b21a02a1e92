/**
 * The 15-point Gauss-Kronrod rule on [-1, 1] with its embedded 7-point Gauss rule (nodes and
 * weights as in QUADPACK's `qk15`, Piessens et al. 1983). Node `k` of {@link KRONROD_NODES} is at
 * `-x_k`..`x_k` symmetric; the Gauss rule uses the odd-indexed nodes (and the centre).
 *
 * `gaussKronrodNodes(a, b)` maps the 15 nodes and both weight sets to [a, b]: the Kronrod sum
 * integrates polynomials of degree 22 exactly, the Gauss sum degree 13, and their difference is
 * the usual error estimate of the Gauss sum (the Kronrod sum is far more accurate).
 */

const XK = [
  0.9914553711208126, 0.9491079123427585, 0.8648644233597691, 0.7415311855993945, 0.5860872354676911,
  0.4058451513773972, 0.20778495500789848, 0,
];
const WK = [
  0.022935322010529224, 0.06309209262997856, 0.10479001032225019, 0.14065325971552592, 0.1690047266392679,
  0.19035057806478542, 0.20443294007529889, 0.20948214108472782,
];
/** Gauss weights of the nodes XK[1], XK[3], XK[5], XK[7]. */
const WG = [0.1294849661688697, 0.27970539148927664, 0.3818300505051189, 0.4179591836734694];

/** The 15 nodes of a panel with their Kronrod and Gauss weights (0 where Gauss has no node). */
export type GaussKronrodPanel = {
  nodes: Float64Array;
  kronrodWeights: Float64Array;
  gaussWeights: Float64Array;
};

/** Nodes and weights of the 15-point Gauss-Kronrod rule on [a, b], written into `out` when given. */
export function gaussKronrodNodes(a: number, b: number, out?: GaussKronrodPanel): GaussKronrodPanel {
  const panel = out ?? {
    nodes: new Float64Array(15),
    kronrodWeights: new Float64Array(15),
    gaussWeights: new Float64Array(15),
  };
  const centre = 0.5 * (a + b);
  const half = 0.5 * (b - a);
  for (let k = 0; k < 8; k++) {
    const x = XK[k]! * half;
    const wk = WK[k]! * half;
    const wg = k % 2 === 1 ? WG[(k - 1) / 2]! * half : 0;
    panel.nodes[k] = centre - x;
    panel.kronrodWeights[k] = wk;
    panel.gaussWeights[k] = wg;
    if (k < 7) {
      panel.nodes[14 - k] = centre + x;
      panel.kronrodWeights[14 - k] = wk;
      panel.gaussWeights[14 - k] = wg;
    }
  }
  return panel;
}
