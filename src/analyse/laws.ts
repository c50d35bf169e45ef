/**
 * The two sampling laws the analysis leans on: chi-square (Pearson's
 * statistic against uniform placement) and Student's t (intervals from a
 * handful of paired trials). Pure functions, checked against closed forms,
 * published quantiles and seeded simulation in test/laws.test.ts.
 */

/** ln Γ(x) (Lanczos, g = 7), for x > 0. */
function lnGamma (x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7]
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x)
  const z = x - 1
  let a = c[0] ?? 0
  const t = z + 7.5
  for (let i = 1; i < 9; i++) a += (c[i] ?? 0) / (z + i)
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a)
}

/** The regularized lower incomplete gamma function P(a, x): series below a + 1, continued fraction above. */
export function gammaP (a: number, x: number): number {
  if (x <= 0) return 0
  const front = Math.exp(a * Math.log(x) - x - lnGamma(a))
  if (x < a + 1) {
    let term = 1 / a
    let sum = term
    for (let n = 1; n < 1000 && Math.abs(term) > Math.abs(sum) * 1e-15; n++) {
      term *= x / (a + n)
      sum += term
    }
    return Math.min(1, sum * front)
  }
  // Lentz's method for the continued fraction of Q(a, x).
  const tiny = 1e-300
  let b = x + 1 - a
  let c = 1 / tiny
  let d = 1 / b
  let h = d
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a)
    b += 2
    d = an * d + b
    if (Math.abs(d) < tiny) d = tiny
    c = b + an / c
    if (Math.abs(c) < tiny) c = tiny
    d = 1 / d
    const delta = d * c
    h *= delta
    if (Math.abs(delta - 1) < 1e-15) break
  }
  return Math.max(0, 1 - front * h)
}

/** P(X <= x) for X ~ chi-square with `df` degrees of freedom. */
export function chiSquareCdf (x: number, df: number): number {
  return gammaP(df / 2, x / 2)
}

/** The `p` quantile of chi-square with `df` degrees of freedom (bisection on the CDF). */
export function chiSquareQuantile (p: number, df: number): number {
  let lo = 0
  let hi = Math.max(1, df)
  while (chiSquareCdf(hi, df) < p) hi *= 2
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2
    if (chiSquareCdf(mid, df) < p) lo = mid
    else hi = mid
  }
  return (lo + hi) / 2
}

/** Student t, two-sided 95% (the 0.975 quantile), for 1 to 30 degrees of freedom. */
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
  2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042]

/** The 0.975 quantile of Student's t with `df` degrees of freedom: the table to 30, Cornish-Fisher expansion above. */
export function tQuantile975 (df: number): number {
  if (df < 1) return Infinity
  const fromTable = T975[Math.floor(df) - 1]
  if (fromTable !== undefined) return fromTable
  const z = 1.959964
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df ** 2) + (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / (384 * df ** 3)
}

