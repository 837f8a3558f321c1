## ---------------------------------------------------------------------------
## make_reference_syntax.R -- lme4 reference values for lmm_core's formula
## language and names (issue 9, sections 1 "Names" and 2).
##
## Usage (from the project root):
##     Rscript tests/reference/make_reference_syntax.R
##
## Writes
##   tests/reference/data/syntax.csv          simulated data (read back below,
##                                            so R fits what Python reads)
##   tests/reference/lme4_reference_syntax.json
##
## Every case is fitted on the CSV as read.csv() reads it (character columns
## stay character, so lme4 makes factors with R's sort order in this locale;
## TRUE/FALSE/NA become a logical column). The locale's collation matters for
## the "collation" case: R 4.2 with ICU in C.UTF-8 or en_US.UTF-8 sorts text
## by ICU's root collation (apple < Apple < Banana < cherry); meta.collation
## records what this R used.
##
## JSON: {"meta": {...}, "cases": {id: {call, data, formula, reml, objective,
## sigma, nobs, ngroups, fixef, se, theta, theta_names, varcorr, ranef
## (levels and columns per group), formula_line (summary's Formula: line),
## predict (newdata rows, with and without random effects) or error}}}.
## ---------------------------------------------------------------------------

suppressPackageStartupMessages({
  library(lme4)
  library(jsonlite)
})
options(width = 80, digits = 7, warn = 1)

out_dir  <- file.path("tests", "reference")
data_dir <- file.path(out_dir, "data")
dir.create(data_dir, recursive = TRUE, showWarnings = FALSE)

## ---- data ------------------------------------------------------------------
set.seed(20240917)
n_g <- 16; per <- 12; n <- n_g * per
g <- rep(sprintf("g%02d", seq_len(n_g)), each = per)
d <- data.frame(
  g    = g,
  x    = round(rnorm(n), 4),
  age  = sample(5:15, n, TRUE),
  Sex  = sample(c("Male", "Female"), n, TRUE),
  a    = sample(c("p", "q"), n, TRUE),
  b    = sample(c("u", "v", "w"), n, TRUE),
  n    = rpois(n, 6) + 1,
  dose = sample(c(0, 0.5, 1e5), n, TRUE),
  fruit = sample(c("apple", "Banana", "cherry", "Apple"), n, TRUE),
  num  = rep(c(1e5, 2, 0.5, 1e-4), length.out = n_g)[as.integer(factor(g))],
  school = rep(c("A1", "A2", "A3", "A4"), each = n / 4),
  class  = rep(rep(c("B1", "B2", "B3"), each = n / 12), 4),
  team   = rep(rep(c("C1", "C2"), each = n / 24), 12),
  stringsAsFactors = FALSE
)
d$flag <- d$x > 0
d$flag[c(3, 40, 77)] <- NA
u <- rnorm(n_g)[as.integer(factor(d$g))]
slope <- rnorm(n_g, sd = 0.5)[as.integer(factor(d$g))]
curve <- rnorm(n_g, sd = 0.4)[as.integer(factor(d$g))]
nest <- rnorm(4, sd = 1)[as.integer(factor(d$school))] +
  rnorm(12, sd = 0.8)[as.integer(factor(paste(d$school, d$class)))] +
  rnorm(24, sd = 0.7)[as.integer(factor(paste(d$school, d$class, d$team)))]
d$y <- round(2 + (1 + slope) * d$x + (curve - 0.3) * d$x^2 + 0.8 * (d$Sex == "Male") +
             0.05 * d$age + 0.4 * (d$fruit == "Banana") + u + nest + log(d$n) +
             rnorm(n, sd = 0.8), 4)
d$`my y` <- d$y
d$`my x` <- d$x
csv <- file.path(data_dir, "syntax.csv")
write.csv(d, csv, row.names = FALSE)
syntax <- read.csv(csv, check.names = FALSE)
sleep_csv <- file.path("simulators", "data", "sleepstudy.csv")
sleepstudy <- read.csv(sleep_csv)

## ---- helpers ----------------------------------------------------------------
named <- function(x) as.list(setNames(as.numeric(x), names(x)))
chr_array <- function(x) I(as.character(x))

formula_line <- function(m) {
  out <- capture.output(print(summary(m)))
  start <- grep("^Formula:", out)
  stop_ <- grep("^   Data:", out)
  I(out[start:(stop_ - 1)])
}

predictions <- function(m, newdata) {
  list(newdata = newdata,
       with_re = as.numeric(predict(m, newdata = newdata, allow.new.levels = TRUE)),
       population = as.numeric(predict(m, newdata = newdata, re.form = NA)))
}

fit_case <- function(formula, data_name, reml = TRUE, newdata = NULL) {
  data <- get(data_name)
  call <- sprintf("lmer(%s, %s, REML = %s)", formula, data_name, reml)
  tryCatch({
    m <- suppressWarnings(suppressMessages(
      lmer(as.formula(formula), data = data, REML = reml)))
    vc <- as.data.frame(VarCorr(m))
    vc$var1[is.na(vc$var1)] <- ""; vc$var2[is.na(vc$var2)] <- ""
    re <- ranef(m)
    out <- list(
      call = call,
      data = if (data_name == "syntax") "tests/reference/data/syntax.csv" else sleep_csv,
      formula = formula, reml = reml,
      objective = unname(if (reml) getME(m, "devcomp")$cmp[["REML"]]
                         else deviance(m)),
      sigma = sigma(m), nobs = nobs(m),
      ngroups = as.list(ngrps(m)),
      fixef = named(fixef(m)),
      se = named(setNames(sqrt(diag(as.matrix(vcov(m)))), names(fixef(m)))),
      theta = unname(getME(m, "theta")), theta_names = chr_array(names(getME(m, "theta"))),
      varcorr = list(grp = chr_array(vc$grp), var1 = chr_array(vc$var1),
                     var2 = chr_array(vc$var2), vcov = vc$vcov, sdcor = vc$sdcor),
      ranef = lapply(re, function(r) list(levels = chr_array(rownames(r)),
                                          columns = chr_array(colnames(r)))),
      formula_line = formula_line(m))
    if (!is.null(newdata)) out$predict <- predictions(m, newdata)
    out
  }, error = function(e) list(call = call, formula = formula, error = conditionMessage(e)))
}

sleep_new <- data.frame(Days = c(0, 4.5, 9, 12), Subject = c(308, 309, 999, 372))
syntax_new <- data.frame(x = c(-1.5, 0, 0.7, 2.2), n = c(1, 5, 12, 3),
                         g = c("g01", "g05", "new", "g16"))

## ---- cases ------------------------------------------------------------------
cases <- list(
  poly2 = fit_case("Reaction ~ poly(Days, 2) + (1 | Subject)", "sleepstudy",
                   newdata = sleep_new),
  poly_raw = fit_case("Reaction ~ poly(Days, 2, raw = TRUE) + (Days | Subject)",
                      "sleepstudy", newdata = sleep_new),
  poly_degree = fit_case("Reaction ~ poly(Days, degree = 3) + (1 | Subject)", "sleepstudy",
                         reml = FALSE, newdata = sleep_new),
  poly_random = fit_case("y ~ poly(x, 2) + (1 | g) + (0 + poly(x, 2) | g)", "syntax",
                         newdata = syntax_new),
  poly_one = fit_case("y ~ poly(x, 1) + (poly(x, 1) | g)", "syntax", newdata = syntax_new),
  scale_center = fit_case(
    "Reaction ~ scale(Days, scale = FALSE) + (scale(Days, scale = FALSE) | Subject)",
    "sleepstudy", newdata = sleep_new),
  scale_both = fit_case("Reaction ~ scale(Days) + (1 | Subject)", "sleepstudy",
                        newdata = sleep_new),
  scale_center_false = fit_case("y ~ scale(x, center = FALSE) + (1 | g)", "syntax",
                                newdata = syntax_new),
  scale_center_number = fit_case("y ~ scale(x, center = 1) + (1 | g)", "syntax",
                                 newdata = syntax_new),
  factor_numbers = fit_case("y ~ factor(dose) + factor(age > 10) + (1 | g)", "syntax"),
  as_numeric_compare = fit_case('y ~ as.numeric(Sex == "Male") + as.numeric(x) + (1 | g)',
                                "syntax"),
  I_compare = fit_case("y ~ I(age > 10) + x + (1 | g)", "syntax"),
  logic = fit_case("y ~ I(x > 0 & age > 10) + I(!(x > 0)) + I(age %% 2) + (1 | g)",
                   "syntax"),
  offset = fit_case("y ~ x + offset(log(n)) + (1 | g)", "syntax", newdata = syntax_new),
  offset_ml = fit_case("y ~ x + offset(log(n)) + (x | g)", "syntax", reml = FALSE,
                       newdata = syntax_new),
  power = fit_case("y ~ (a + b + x)^2 + (1 | g)", "syntax"),
  in_nesting = fit_case("y ~ a + b %in% a + (1 | g)", "syntax"),
  dummy = fit_case('y ~ x + (1 | g) + (0 + dummy(Sex, "Male") | g)', "syntax"),
  dummy_fixed = fit_case('y ~ dummy(Sex, "Male") + (1 | g)', "syntax"),
  interaction = fit_case("y ~ interaction(a, b) + (1 | g)", "syntax"),
  math = fit_case("y ~ pmin(x, 1) + pmax(x, 0) + sin(x) + cos(pi * x) + tan(x/4) + (1 | g)",
                  "syntax"),
  poly_by_factor = fit_case("y ~ poly(x, 2) * a + (1 | g)", "syntax", newdata = NULL),
  nested3 = fit_case("y ~ x + (1 | school/class/team)", "syntax"),
  flag_na = fit_case("y ~ flag + (1 | g)", "syntax"),
  numeric_group = fit_case("y ~ x + (1 | num)", "syntax"),
  collation = fit_case("y ~ fruit + (1 | g)", "syntax"),
  backticks = fit_case("`my y` ~ `my x` + I(`my x`^2) + (`my x` | g)", "syntax")
)

meta <- list(
  r_version = R.version.string,
  lme4_version = as.character(packageVersion("lme4")),
  collate = Sys.getlocale("LC_COLLATE"),
  icu = unname(capabilities("ICU")),
  collation = chr_array(sort(c("apple", "Banana", "cherry", "Apple", "_x", "b10", "b2",
                               "a b", "a-b", "\u00e9clair", "e", "Zeta"))),
  tolerances = list(objective = 1e-6, fixef = 1e-5, se = 2e-4, varcorr = 2e-4)
)
writeLines(toJSON(list(meta = meta, cases = cases), auto_unbox = TRUE, digits = NA,
                  pretty = TRUE, na = "null"),
           file.path(out_dir, "lme4_reference_syntax.json"))
errors <- Filter(function(c) !is.null(c$error), cases)
if (length(errors)) print(lapply(errors, `[[`, "error"))
cat("wrote", length(cases), "cases\n")
