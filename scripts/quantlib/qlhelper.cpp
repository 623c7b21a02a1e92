// Reference values and timings from QuantLib's C++ engines for consensus-guard's pricing tests
// and bench. Built and run by generate_reference.py and bench/pricing.ts (see README.md).
//
//   qlhelper merton   reads "type spot strike days r q vol lambda meanLog jumpVol" lines on
//                     stdin, prints one JSON object per line (JumpDiffusionEngine, tight and
//                     default accuracy)
//   qlhelper bench    prints one JSON object with microseconds per option for each engine

#include <ql/quantlib.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <string>

using namespace QuantLib;

namespace {

struct Market {
    Date today{15, January, 2025};
    DayCounter dc = Actual365Fixed();
    ext::shared_ptr<SimpleQuote> spot = ext::make_shared<SimpleQuote>(100.0);
    ext::shared_ptr<SimpleQuote> r = ext::make_shared<SimpleQuote>(0.05);
    ext::shared_ptr<SimpleQuote> q = ext::make_shared<SimpleQuote>(0.0);
    ext::shared_ptr<SimpleQuote> vol = ext::make_shared<SimpleQuote>(0.2);
    Handle<YieldTermStructure> rTS, qTS;
    Handle<BlackVolTermStructure> volTS;
    Market() {
        Settings::instance().evaluationDate() = today;
        rTS = Handle<YieldTermStructure>(ext::make_shared<FlatForward>(today, Handle<Quote>(r), dc));
        qTS = Handle<YieldTermStructure>(ext::make_shared<FlatForward>(today, Handle<Quote>(q), dc));
        volTS = Handle<BlackVolTermStructure>(
            ext::make_shared<BlackConstantVol>(today, NullCalendar(), Handle<Quote>(vol), dc));
    }
};

void runMerton() {
    Market m;
    std::string line;
    while (std::getline(std::cin, line)) {
        if (line.empty()) continue;
        std::istringstream in(line);
        std::string type;
        Real s, k, r, q, v, lambda, meanLog, jumpVol;
        Integer days;
        in >> type >> s >> k >> days >> r >> q >> v >> lambda >> meanLog >> jumpVol;
        m.spot->setValue(s);
        m.r->setValue(r);
        m.q->setValue(q);
        m.vol->setValue(v);
        auto jumpIntensity = ext::make_shared<SimpleQuote>(lambda);
        auto jumpMean = ext::make_shared<SimpleQuote>(meanLog);
        auto jumpVolQuote = ext::make_shared<SimpleQuote>(jumpVol);
        auto process = ext::make_shared<Merton76Process>(
            Handle<Quote>(m.spot), m.qTS, m.rTS, m.volTS, Handle<Quote>(jumpIntensity),
            Handle<Quote>(jumpMean), Handle<Quote>(jumpVolQuote));
        auto payoff = ext::make_shared<PlainVanillaPayoff>(type == "call" ? Option::Call : Option::Put, k);
        auto exercise = ext::make_shared<EuropeanExercise>(m.today + days);
        VanillaOption option(payoff, exercise);
        option.setPricingEngine(ext::make_shared<JumpDiffusionEngine>(process, 1e-17, 100000));
        std::printf("{\"price\":%.17g,\"delta\":%.17g,\"gamma\":%.17g,\"vega\":%.17g,\"theta\":%.17g,"
                    "\"rho\":%.17g,\"dividendRho\":%.17g",
                    option.NPV(), option.delta(), option.gamma(), option.vega(), option.theta(),
                    option.rho(), option.dividendRho());
        option.setPricingEngine(ext::make_shared<JumpDiffusionEngine>(process));
        std::printf(",\"priceDefaultAccuracy\":%.17g}\n", option.NPV());
    }
}

template <class F>
double microsPerCall(F&& f, int calls) {
    auto start = std::chrono::steady_clock::now();
    double sink = 0;
    for (int i = 0; i < calls; ++i) sink += f(i);
    auto end = std::chrono::steady_clock::now();
    if (sink == 42.4242) std::printf(" ");
    return std::chrono::duration<double, std::micro>(end - start).count() / calls;
}

void runBench() {
    Market m;
    const Date maturity = m.today + 182;
    const Time t = 182.0 / 365.0;
    auto process = ext::make_shared<BlackScholesMertonProcess>(Handle<Quote>(m.spot), m.qTS, m.rTS, m.volTS);

    const int n = 1 << 20;
    double blackPrice = microsPerCall(
        [&](int i) {
            Real k = 80.0 + (i & 63);
            return blackFormula(Option::Call, k, 100.0 * std::exp(0.05 * t), 0.2 * std::sqrt(t), std::exp(-0.05 * t));
        },
        n);
    double blackGreeks = microsPerCall(
        [&](int i) {
            Real k = 80.0 + (i & 63);
            BlackCalculator c(Option::Call, k, 100.0 * std::exp(0.05 * t), 0.2 * std::sqrt(t), std::exp(-0.05 * t));
            return c.value() + c.delta(100.0) + c.gamma(100.0) + c.vega(t) + c.theta(100.0, t) + c.rho(t) +
                   c.dividendRho(t);
        },
        n / 8);

    auto exercise = ext::make_shared<EuropeanExercise>(maturity);
    VanillaOption european(ext::make_shared<PlainVanillaPayoff>(Option::Call, 100.0), exercise);
    european.setPricingEngine(ext::make_shared<AnalyticEuropeanEngine>(process));
    double engineGreeks = microsPerCall(
        [&](int i) {
            m.spot->setValue(90.0 + (i & 31));
            return european.NPV() + european.delta() + european.gamma() + european.vega() + european.theta() +
                   european.rho() + european.dividendRho();
        },
        n / 64);

    auto americanExercise = ext::make_shared<AmericanExercise>(m.today, maturity);
    VanillaOption american(ext::make_shared<PlainVanillaPayoff>(Option::Put, 100.0), americanExercise);
    american.setPricingEngine(ext::make_shared<BinomialVanillaEngine<CoxRossRubinstein>>(process, 1000));
    double crr = microsPerCall(
        [&](int i) {
            m.spot->setValue(90.0 + (i & 31));
            return american.NPV();
        },
        40);

    auto jumpIntensity = ext::make_shared<SimpleQuote>(1.0);
    auto jumpMean = ext::make_shared<SimpleQuote>(-0.1);
    auto jumpVolQuote = ext::make_shared<SimpleQuote>(0.15);
    auto merton = ext::make_shared<Merton76Process>(Handle<Quote>(m.spot), m.qTS, m.rTS, m.volTS,
                                                    Handle<Quote>(jumpIntensity), Handle<Quote>(jumpMean),
                                                    Handle<Quote>(jumpVolQuote));
    european.setPricingEngine(ext::make_shared<JumpDiffusionEngine>(merton));
    double mertonDefault = microsPerCall(
        [&](int i) {
            m.spot->setValue(90.0 + (i & 31));
            return european.NPV();
        },
        4000);
    european.setPricingEngine(ext::make_shared<JumpDiffusionEngine>(merton, 1e-17, 100000));
    double mertonTight = microsPerCall(
        [&](int i) {
            m.spot->setValue(90.0 + (i & 31));
            return european.NPV();
        },
        4000);

    const Real forward = 100.0 * std::exp(0.05 * t);
    const Real discount = std::exp(-0.05 * t);
    double implied = microsPerCall(
        [&](int i) {
            Real k = 80.0 + (i & 63);
            Real price = blackFormula(Option::Call, k, forward, 0.2 * std::sqrt(t), discount);
            return blackFormulaImpliedStdDev(Option::Call, k, forward, price, discount, 0.0, Null<Real>(), 1e-12, 100);
        },
        n / 16);

    european.setPricingEngine(ext::make_shared<AnalyticEuropeanEngine>(process));
    m.spot->setValue(100.0);
    double impliedEngine = microsPerCall(
        [&](int i) {
            Real price = 5.0 + 0.01 * (i & 63);
            return european.impliedVolatility(price, process, 1e-12, 100, 1e-7, 4.0);
        },
        4000);

    std::printf("{\"bsmPrice\":%.6g,\"bsmGreeks\":%.6g,\"bsmEngineGreeks\":%.6g,\"crrAmerican1000\":%.6g,"
                "\"mertonDefaultAccuracy\":%.6g,\"mertonTight\":%.6g,\"impliedVol\":%.6g,"
                "\"impliedVolEngine\":%.6g}\n",
                blackPrice, blackGreeks, engineGreeks, crr, mertonDefault, mertonTight, implied, impliedEngine);
}

} // namespace

int main(int argc, char** argv) {
    std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "merton") {
        runMerton();
        return 0;
    }
    if (mode == "bench") {
        runBench();
        return 0;
    }
    std::fprintf(stderr, "usage: qlhelper merton|bench\n");
    return 2;
}
