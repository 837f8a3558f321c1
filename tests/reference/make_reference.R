## ---------------------------------------------------------------------------
## make_reference.R -- reference values from R (lme4 / lmerTest) for lmm_core
##
## Usage (from the project root, /work/main):
##     Rscript tests/reference/make_reference.R
##
## Writes
##   tests/reference/lme4_reference.json   all reference numbers (see below)
##   tests/reference/data/<name>.csv       every data set used that is not
##                                         already in simulators/data, so the
##                                         Python tests can read exactly the
##                                         same data without R.
##
## Assumptions
##   * The working directory is the project root; the app's own data sets are
##     in simulators/data (sleepstudy.csv, sleep_seed.csv).
##   * The grouping columns of these CSVs (Subject / subject) are read
##     as character and turned into factors (levels sorted as strings, which
##     for these 3-digit ids is the same as numeric order and the same as
##     lme4's own sleepstudy).
##
## JSON layout: {"meta": {...}, "cases": {case_id: {...}}}.  Each model case
## holds call, data, formula, reml, objective (REML criterion or deviance),
## loglik, aic, bic, sigma, theta (+ theta_names), nobs, ngroups, fixef, se,
## vcov (+ vcov_names), varcorr, ranef, coef, fitted_head, resid_head,
## singular, messages, optinfo_conv, summary_text (lme4 printout),
## summary_lmertest_text, satterthwaite, anova_type3 and, for some cases,
## confint_profile / confint_wald.  Extra fields: fit_call / data_prep (call
## split into data preparation and fit), deviance_ml_at_reml_fit, loglik_df,
## dropped_columns (rank deficiency), ranef_condsd (conditional SDs, ranef
## layout), message_types, messages_lmertest, optimizer.  anova_lrt,
## pooling_sleepstudy and boot_sleepstudy have their own layouts (see below).
## Every case runs inside its own tryCatch;
## a failure is stored as {"error": message}.
## ---------------------------------------------------------------------------

suppressPackageStartupMessages({
  library(lme4)       # only used through lme4:: / the lme4 fit helper below
  library(lmerTest)   # only used through lmerTest::
  library(jsonlite)
})

## Fix the printing options so the captured summaries are reproducible.
options(width = 80, digits = 7, warn = 1)

out_dir  <- file.path("tests", "reference")
data_dir <- file.path(out_dir, "data")
dir.create(data_dir, recursive = TRUE, showWarnings = FALSE)

## ---------------------------------------------------------------------------
## Data
## ---------------------------------------------------------------------------

shared_dir <- file.path("simulators", "data")

## The app's two CSVs: grouping column read as character, then factor.
read_shared <- function(file, group_col) {
  cc <- setNames("character", group_col)
  d <- read.csv(file.path(shared_dir, file), colClasses = cc)
  d[[group_col]] <- factor(d[[group_col]])
  d
}
shared <- list(
  sleepstudy = read_shared("sleepstudy.csv", "Subject"),
  sleep_seed = read_shared("sleep_seed.csv", "subject")
)
shared_paths <- c(sleepstudy = "simulators/data/sleepstudy.csv",
                  sleep_seed = "simulators/data/sleep_seed.csv")

## lme4's own data sets (copied out of the package namespace).
lme4_data <- function(name) get(name, envir = asNamespace("lme4"))

## nlme's data sets as plain data frames: every factor (nlme uses ordered ones and its own
## level orders) becomes an unordered factor whose levels are sorted as lmm_core sorts the
## CSV column: numerically for numeric labels, else as text.
plain_data <- function(name) {
  e <- new.env()
  utils::data(list = name, package = "nlme", envir = e)
  d <- as.data.frame(get(name, envir = e))
  for (col in names(d)) if (is.factor(d[[col]])) {
    labels <- as.character(d[[col]])
    num <- suppressWarnings(as.numeric(labels))
    lev <- if (!anyNA(num)) as.character(sort(unique(num))) else sort(unique(labels), method = "radix")
    d[[col]] <- factor(labels, levels = lev)
  }
  attr(d, "formula") <- NULL
  d
}

## Write a data frame to tests/reference/data/<csv_name>.csv (factors are
## written as their labels, i.e. strings) and return the relative path.
## The same CSV may be written by several cases; it must not change.
written_csv <- list()
write_case_data <- function(d, csv_name) {
  path <- file.path(data_dir, paste0(csv_name, ".csv"))
  txt <- capture.output(write.csv(d, row.names = FALSE))
  if (!is.null(written_csv[[csv_name]]) &&
      !identical(written_csv[[csv_name]], txt))
    stop("two different data sets would be written to ", path)
  written_csv[[csv_name]] <<- txt
  writeLines(txt, path)
  path
}

## ---------------------------------------------------------------------------
## Helpers
## ---------------------------------------------------------------------------

## Evaluate expr, collecting (and muffling) warnings and messages.
with_messages <- function(expr) {
  msgs <- character(0); types <- character(0)
  value <- withCallingHandlers(
    expr,
    warning = function(w) {
      msgs <<- c(msgs, trimws(conditionMessage(w)))
      types <<- c(types, "warning")
      invokeRestart("muffleWarning")
    },
    message = function(m) {
      msgs <<- c(msgs, trimws(conditionMessage(m)))
      types <<- c(types, "message")
      invokeRestart("muffleMessage")
    })
  list(value = value, messages = msgs, types = types)
}

## Safe sub-computation: returns {"error": msg} instead of stopping.
safely <- function(expr) tryCatch(expr, error = function(e)
  list(error = conditionMessage(e)))

## Named numeric vector -> JSON object.
named <- function(x) as.list(setNames(as.numeric(x), names(x)))

## Character vector that always stays a JSON array.
chr_array <- function(x) I(as.character(x))

## Matrix -> list of rows (kept as a matrix so jsonlite writes row-major
## arrays even for 1 x 1 or n x 1 matrices).
rows <- function(m) unname(as.matrix(m))

## data.frame with row names -> {rowname: {col: value}}
df_rows <- function(d) {
  res <- lapply(seq_len(nrow(d)), function(i) as.list(d[i, , drop = FALSE]))
  lapply(setNames(res, rownames(d)), function(r) lapply(r, unname))
}

## ranef()/coef() style list of data frames -> {grp: {levels, columns, values}}
grp_layout <- function(lst) {
  lapply(lst, function(d) list(levels  = chr_array(rownames(d)),
                               columns = chr_array(colnames(d)),
                               values  = rows(d)))
}

## Conditional SDs of the random effects, same layout as ranef.
ranef_condsd <- function(m) {
  re <- ranef(m, condVar = TRUE)
  rd <- as.data.frame(re)           # grpvar, term, grp, condval, condsd
  lapply(setNames(names(re), names(re)), function(g) {
    d <- re[[g]]
    sdm <- sapply(colnames(d), function(term) {
      r <- rd[rd$grpvar == g & rd$term == term, ]
      r$condsd[match(rownames(d), as.character(r$grp))]
    })
    sdm <- matrix(sdm, nrow = nrow(d))
    list(levels = chr_array(rownames(d)), columns = chr_array(colnames(d)),
         values = rows(sdm))
  })
}

## print(summary(m)) as one string.  stdout and messages go to the same sink so
## lme4's "Correlation matrix not shown by default ..." note (a message()) stays
## in place, as on the console.
summary_text <- function(m) {
  out <- character(0)
  con <- textConnection("out", "w", local = TRUE)
  sink(con); sink(con, type = "message")
  on.exit({ sink(type = "message"); sink(); close(con) })
  print(summary(m))
  sink(type = "message"); sink(); close(con)
  on.exit()
  paste(out, collapse = "\n")
}

## confint -> {rowname: [lower, upper]}
ci_list <- function(ci) {
  lapply(setNames(seq_len(nrow(ci)), rownames(ci)),
         function(i) I(unname(as.numeric(ci[i, ]))))
}

## Fit a model call (string) with lme4::lmer or lmerTest::lmer, evaluating it
## in a child of the data environment so that `data = <name>` resolves to the
## prepared data and the summary prints "Data: <name>".
fit_in <- function(call_str, data_env, lmer_fun) {
  fe <- new.env(parent = data_env)
  assign("lmer", lmer_fun, envir = fe)
  with_messages(eval(parse(text = call_str), envir = fe))
}

## Everything for one lmer case.
##   id        case id
##   fit_call  "lmer(<formula>, <data name>, REML = ...)"
##   formula   formula string
##   data_name name of the data object used in fit_call
##   data      the raw data frame
##   data_path path (relative to project root) to record; NULL -> write CSV
##   csv_name  name of the CSV written to tests/reference/data
##   prep      optional R code (string) run on the data before fitting
##   confint   character vector of confint methods to add ("profile","Wald")
lmm_case <- function(fit_call, formula, data_name, data, reml,
                     data_path = NULL, csv_name = data_name, prep = NULL,
                     confint = character(0)) {
  de <- new.env(parent = globalenv())
  assign(data_name, data, envir = de)
  if (!is.null(prep)) eval(parse(text = prep), envir = de)
  if (is.null(data_path))
    data_path <- write_case_data(get(data_name, envir = de), csv_name)

  f1 <- fit_in(fit_call, de, lme4::lmer)
  m  <- f1$value
  devfun <- fit_in(sub("\\)$", ", devFunOnly = TRUE)", fit_call), de, lme4::lmer)$value
  f2 <- fit_in(fit_call, de, lmerTest::lmer)
  mt <- f2$value

  vc <- as.data.frame(VarCorr(m))
  for (j in c("grp", "var1", "var2"))
    vc[[j]] <- ifelse(is.na(vc[[j]]), "", as.character(vc[[j]]))
  V <- as.matrix(vcov(m))
  theta <- getME(m, "theta")

  res <- list(
    call      = if (is.null(prep)) fit_call else paste0(prep, "; ", fit_call),
    fit_call  = fit_call,
    data_prep = if (is.null(prep)) "" else prep,
    data      = data_path,
    formula   = formula,
    reml      = reml,
    objective = if (reml) unname(REMLcrit(m)) else unname(deviance(m)),
    deviance_ml_at_reml_fit = if (reml) unname(deviance(m, REML = FALSE)) else NULL,
    loglik    = as.numeric(logLik(m)),
    loglik_df = attr(logLik(m), "df"),
    aic       = AIC(m),
    bic       = BIC(m),
    sigma     = sigma(m),
    theta     = I(unname(theta)),
    theta_names = chr_array(names(theta)),
    theta_start = I(unname(environment(devfun)$pp$theta)),  # mkLmerDevfun's start
    nobs      = nobs(m),
    ngroups   = as.list(ngrps(m)),
    fixef     = named(fixef(m)),
    se        = named(sqrt(diag(V))),
    vcov      = rows(V),
    vcov_names = chr_array(colnames(V)),
    dropped_columns = chr_array(names(attr(getME(m, "X"), "col.dropped"))),
    varcorr   = vc,
    ranef     = grp_layout(ranef(m)),
    ranef_condsd = safely(ranef_condsd(m)),
    coef      = grp_layout(coef(m)),
    fitted_head = I(unname(head(fitted(m), 10))),
    resid_head  = I(unname(head(residuals(m), 10))),
    singular  = isSingular(m),
    messages  = chr_array(f1$messages),
    message_types = chr_array(f1$types),
    messages_lmertest = chr_array(f2$messages),
    optinfo_conv = chr_array(m@optinfo$conv$lme4$messages),
    optimizer = m@optinfo$optimizer,
    feval     = m@optinfo$feval,
    conv_opt  = m@optinfo$conv$opt,
    conv_lme4_code = if (is.null(m@optinfo$conv$lme4$code)) 0L else m@optinfo$conv$lme4$code,
    summary_text = summary_text(m),
    summary_lmertest_text = summary_text(mt)
  )

  res$satterthwaite <- safely({
    cs <- coef(summary(mt))
    df_rows(as.data.frame(cs, check.names = FALSE))
  })
  res$anova_type3 <- safely({
    a <- with_messages(anova(mt, type = 3))
    list(rows = df_rows(as.data.frame(a$value, check.names = FALSE)),
         messages = chr_array(a$messages))
  })
  ## Flatten anova_type3 to term -> {...} when it worked; keep messages aside.
  if (is.null(res$anova_type3$error)) {
    res$anova_type3_messages <- res$anova_type3$messages
    res$anova_type3 <- res$anova_type3$rows
    if (length(res$anova_type3) == 0) res$anova_type3 <- setNames(list(), character(0))
  }

  for (meth in confint) {
    key <- paste0("confint_", tolower(meth))
    ci <- safely(with_messages(confint(m, method = meth, oldNames = FALSE)))
    if (!is.null(ci$error)) {
      res[[key]] <- ci
    } else {
      res[[key]] <- ci_list(ci$value)
      res[[paste0(key, "_messages")]] <- chr_array(ci$messages)
    }
  }
  attr(res, "model") <- m
  res
}

## Run a case in its own tryCatch.
cases  <- list()
models <- list()
run_case <- function(id, expr) {
  cat("case", id, "... ")
  t0 <- proc.time()[["elapsed"]]
  r <- tryCatch(expr, error = function(e) list(error = conditionMessage(e)))
  if (!is.null(attr(r, "model"))) {
    models[[id]] <<- attr(r, "model")
    attr(r, "model") <- NULL
  }
  cases[[id]] <<- r
  cat(if (!is.null(r$error)) paste("ERROR:", r$error) else "ok",
      sprintf("(%.1fs)\n", proc.time()[["elapsed"]] - t0))
}

ss  <- shared$sleepstudy
ssp <- shared_paths[["sleepstudy"]]
sd_ <- shared$sleep_seed
sdp <- shared_paths[["sleep_seed"]]

## ---------------------------------------------------------------------------
## sleepstudy
## ---------------------------------------------------------------------------

run_case("sleep_slopes_reml", lmm_case(
  "lmer(Reaction ~ Days + (Days | Subject), sleepstudy, REML = TRUE)",
  "Reaction ~ Days + (Days | Subject)", "sleepstudy", ss, TRUE, ssp,
  confint = c("profile", "Wald")))

run_case("sleep_slopes_ml", lmm_case(
  "lmer(Reaction ~ Days + (Days | Subject), sleepstudy, REML = FALSE)",
  "Reaction ~ Days + (Days | Subject)", "sleepstudy", ss, FALSE, ssp))

run_case("sleep_uncorr_reml", lmm_case(
  "lmer(Reaction ~ Days + (Days || Subject), sleepstudy, REML = TRUE)",
  "Reaction ~ Days + (Days || Subject)", "sleepstudy", ss, TRUE, ssp))

run_case("sleep_intercept_reml", lmm_case(
  "lmer(Reaction ~ Days + (1 | Subject), sleepstudy, REML = TRUE)",
  "Reaction ~ Days + (1 | Subject)", "sleepstudy", ss, TRUE, ssp,
  confint = c("profile", "Wald")))

run_case("sleep_intercept_ml", lmm_case(
  "lmer(Reaction ~ Days + (1 | Subject), sleepstudy, REML = FALSE)",
  "Reaction ~ Days + (1 | Subject)", "sleepstudy", ss, FALSE, ssp))

## sleep_seed.csv: 183 rows; subjects 373 (1 row) and 374 (2 rows) are
## incomplete.
run_case("sleep_seed_reml", lmm_case(
  "lmer(reaction ~ 1 + days + (1 + days | subject), sleep_seed, REML = TRUE)",
  "reaction ~ 1 + days + (1 + days | subject)", "sleep_seed", sd_, TRUE, sdp,
  confint = "profile"))

run_case("sleep_seed_ml", lmm_case(
  "lmer(reaction ~ 1 + days + (1 + days | subject), sleep_seed, REML = FALSE)",
  "reaction ~ 1 + days + (1 + days | subject)", "sleep_seed", sd_, FALSE, sdp))

## Random slope only; the intercept is a fixed effect only.
run_case("sleep_noslope_corr", lmm_case(
  "lmer(Reaction ~ 1 + (0 + Days | Subject), sleepstudy, REML = TRUE)",
  "Reaction ~ 1 + (0 + Days | Subject)", "sleepstudy", ss, TRUE, ssp))

## Transformations inside the formula (scale() is evaluated on the data).
run_case("sleep_transform", lmm_case(
  "lmer(log(Reaction) ~ scale(Days) + I(Days^2) + (1 | Subject), sleepstudy, REML = TRUE)",
  "log(Reaction) ~ scale(Days) + I(Days^2) + (1 | Subject)", "sleepstudy",
  ss, TRUE, ssp))

## Rank-deficient fixed effects: Days2 = 2 * Days is dropped by lme4.
run_case("sleep_rankdef", lmm_case(
  "lmer(Reaction ~ Days + Days2 + (1 | Subject), sleepstudy, REML = TRUE)",
  "Reaction ~ Days + Days2 + (1 | Subject)", "sleepstudy", ss, TRUE,
  csv_name = "sleepstudy_rankdef",
  prep = "sleepstudy$Days2 <- 2 * sleepstudy$Days"))

## Numeric x character interaction; grp is a character column.
run_case("sleep_interaction", lmm_case(
  "lmer(Reaction ~ Days * grp + (1 | Subject), sleepstudy, REML = TRUE)",
  "Reaction ~ Days * grp + (1 | Subject)", "sleepstudy", ss, TRUE,
  csv_name = "sleepstudy_interaction",
  prep = paste0("sleepstudy$grp <- ifelse(as.integer(as.character(",
                "sleepstudy$Subject)) %% 2 == 0, \"even\", \"odd\")")))

## ---------------------------------------------------------------------------
## Other lme4 data sets (written to tests/reference/data/)
## ---------------------------------------------------------------------------

run_case("penicillin_crossed", lmm_case(
  "lmer(diameter ~ 1 + (1 | plate) + (1 | sample), Penicillin, REML = TRUE)",
  "diameter ~ 1 + (1 | plate) + (1 | sample)", "Penicillin",
  lme4_data("Penicillin"), TRUE, confint = "profile"))

run_case("pastes_nested", lmm_case(
  "lmer(strength ~ 1 + (1 | batch/cask), Pastes, REML = TRUE)",
  "strength ~ 1 + (1 | batch/cask)", "Pastes", lme4_data("Pastes"), TRUE))

run_case("pastes_sample_ml", lmm_case(
  "lmer(strength ~ 1 + (1 | batch) + (1 | sample), Pastes, REML = FALSE)",
  "strength ~ 1 + (1 | batch) + (1 | sample)", "Pastes",
  lme4_data("Pastes"), FALSE))

run_case("dyestuff2_singular", lmm_case(
  "lmer(Yield ~ 1 + (1 | Batch), Dyestuff2, REML = TRUE)",
  "Yield ~ 1 + (1 | Batch)", "Dyestuff2", lme4_data("Dyestuff2"), TRUE))

run_case("dyestuff_reml", lmm_case(
  "lmer(Yield ~ 1 + (1 | Batch), Dyestuff, REML = TRUE)",
  "Yield ~ 1 + (1 | Batch)", "Dyestuff", lme4_data("Dyestuff"), TRUE,
  confint = c("profile", "Wald")))

## cake: temperature is an ordered factor (poly contrasts) in R; convert it to
## an unordered factor so treatment contrasts are used.  The CSV holds the
## same text either way (cake_numeric writes the identical file).
run_case("cake_factor", lmm_case(
  "lmer(angle ~ recipe * temperature + (1 | recipe:replicate), cake, REML = TRUE)",
  "angle ~ recipe * temperature + (1 | recipe:replicate)", "cake",
  lme4_data("cake"), TRUE,
  prep = "cake$temperature <- factor(cake$temperature, ordered = FALSE)"))

run_case("cake_numeric", lmm_case(
  "lmer(angle ~ recipe + temp + (1 | recipe:replicate), cake, REML = TRUE)",
  "angle ~ recipe + temp + (1 | recipe:replicate)", "cake",
  lme4_data("cake"), TRUE))

## ---------------------------------------------------------------------------
## Flat likelihoods and lme4's settings (issue 9): nlme and lme4 data sets
## ---------------------------------------------------------------------------

run_case("orthodont_slopes", lmm_case(
  "lmer(distance ~ age * Sex + (age | Subject), Orthodont, REML = TRUE)",
  "distance ~ age * Sex + (age | Subject)", "Orthodont", plain_data("Orthodont"), TRUE))

## lme4 warns: max|grad| = 0.0148
run_case("bodyweight_slopes", lmm_case(
  "lmer(weight ~ Time * Diet + (Time | Rat), BodyWeight, REML = TRUE)",
  "weight ~ Time * Diet + (Time | Rat)", "BodyWeight", plain_data("BodyWeight"), TRUE))

run_case("machines_slopes", lmm_case(
  "lmer(score ~ Machine + (Machine | Worker), Machines, REML = TRUE)",
  "score ~ Machine + (Machine | Worker)", "Machines", plain_data("Machines"), TRUE))

run_case("oxboys_quadratic", lmm_case(
  "lmer(height ~ age + I(age^2) + (age + I(age^2) | Subject), Oxboys, REML = TRUE)",
  "height ~ age + I(age^2) + (age + I(age^2) | Subject)", "Oxboys", plain_data("Oxboys"),
  TRUE))

## All random terms are (1 | f): lme4 starts from its moment estimate (mkLmerDevfun).
## lme4 warns: max|grad| = 0.0125
run_case("assay_intercepts", lmm_case(
  paste("lmer(logDens ~ sample * dilut + (1 | Block) + (1 | Block:sample) +",
        "(1 | Block:dilut), Assay, REML = TRUE)"),
  "logDens ~ sample * dilut + (1 | Block) + (1 | Block:sample) + (1 | Block:dilut)",
  "Assay", plain_data("Assay"), TRUE))

## InstEval, department 3 (4749 ratings), with a 4 x 4 random-effects matrix per student:
## lme4 stops on a flat ridge and reports a degenerate Hessian.
instEval_dept3 <- local({
  d <- lme4_data("InstEval")
  d <- droplevels(d[d$dept == "3", c("s", "d", "studage", "service", "y")])
  d$studage <- factor(as.character(d$studage))   # ordered in lme4: plain factor here
  d
})
run_case("insteval_dept3", lmm_case(
  "lmer(y ~ service + (1 | d) + (studage | s), InstEval3, REML = TRUE)",
  "y ~ service + (1 | d) + (studage | s)", "InstEval3", instEval_dept3, TRUE))

## check.scaleX: a predictor around 1e6 and one around 1e-6 (Days rescaled).
run_case("scale_large", lmm_case(
  "lmer(Reaction ~ DaysE6 + (1 | Subject), sleepstudy, REML = TRUE)",
  "Reaction ~ DaysE6 + (1 | Subject)", "sleepstudy", ss, TRUE,
  csv_name = "sleepstudy_scaled",
  prep = "sleepstudy$DaysE6 <- sleepstudy$Days * 1e6; sleepstudy$DaysEm6 <- sleepstudy$Days * 1e-6"))

run_case("scale_small", lmm_case(
  "lmer(Reaction ~ DaysEm6 + (1 | Subject), sleepstudy, REML = TRUE)",
  "Reaction ~ DaysEm6 + (1 | Subject)", "sleepstudy", ss, TRUE,
  csv_name = "sleepstudy_scaled",
  prep = "sleepstudy$DaysE6 <- sleepstudy$Days * 1e6; sleepstudy$DaysEm6 <- sleepstudy$Days * 1e-6"))

## ---------------------------------------------------------------------------
## Awkward simulated data (seeded; written to tests/reference/data/)
## ---------------------------------------------------------------------------

sim <- list()
set.seed(1)  # an uncentred covariate far from zero (years): singular in lme4
g <- factor(sprintf("g%02d", rep(1:12, each = 8))); year <- rep(2001:2008, 12)
u0 <- rnorm(12, 0, 2); u1 <- rnorm(12, 0, 0.5)
sim$uncentred <- data.frame(g, year, y = 10 + 0.3 * (year - 2000) + u0[as.integer(g)] +
                              u1[as.integer(g)] * (year - 2004) + rnorm(96))
set.seed(2)  # a small between-group variance (theta about 0.18)
g <- factor(sprintf("g%02d", rep(1:15, each = 6))); x <- rnorm(90)
sim$tiny <- data.frame(g, x, y = 1 + 0.5 * x + rnorm(15, 0, 0.15)[as.integer(g)] + rnorm(90))
set.seed(3)  # crossed subjects and items, a random slope, 30% of the rows missing
subj <- factor(sprintf("s%02d", rep(1:20, each = 15)))
item <- factor(sprintf("i%02d", rep(1:15, 20))); x <- rep(c(-0.5, 0.5), 150)
y <- 5 + 0.4 * x + rnorm(20, 0, 1)[as.integer(subj)] + rnorm(20, 0, 0.3)[as.integer(subj)] * x +
  rnorm(15, 0, 0.7)[as.integer(item)] + rnorm(300)
sim$crossed <- data.frame(subj, item, x, y)[runif(300) > 0.3, ]
set.seed(4)  # three schools with four classes each: few levels for a variance
school <- factor(rep(c("A", "B", "C"), each = 20))
class <- factor(rep(sprintf("c%d", 1:4), each = 5, times = 3))
sim$nested <- data.frame(school, class, y = rnorm(3, 0, 1)[as.integer(school)] +
  rnorm(12, 0, 0.5)[(as.integer(school) - 1) * 4 + as.integer(class)] + rnorm(60))
set.seed(5)  # intercept and slope perfectly correlated in the truth
g <- factor(sprintf("g%02d", rep(1:10, each = 10))); x <- rep(0:9, 10); u <- rnorm(10)
sim$perfect <- data.frame(g, x, y = 2 + 0.5 * x + u[as.integer(g)] + 0.3 * u[as.integer(g)] * x +
                            rnorm(100, 0, 0.5))

sim_cases <- list(
  uncentred = "y ~ year + (year | g)", tiny = "y ~ x + (1 | g)",
  crossed = "y ~ x + (x | subj) + (1 | item)", nested = "y ~ 1 + (1 | school/class)",
  perfect = "y ~ x + (x | g)")
for (nm in names(sim_cases)) {
  data_name <- paste0("sim_", nm)
  run_case(data_name, lmm_case(
    sprintf("lmer(%s, %s, REML = TRUE)", sim_cases[[nm]], data_name),
    sim_cases[[nm]], data_name, sim[[nm]], TRUE))
}

## ---------------------------------------------------------------------------
## Likelihood-ratio test: anova() of two REML fits (lme4 refits with ML)
## ---------------------------------------------------------------------------

run_case("anova_lrt", {
  sleepstudy <- ss
  call_str <- paste(
    "fm_int <- lmer(Reaction ~ Days + (1 | Subject), sleepstudy, REML = TRUE);",
    "fm_slopes <- lmer(Reaction ~ Days + (Days | Subject), sleepstudy, REML = TRUE);",
    "anova(fm_int, fm_slopes)")
  fm_int    <- lme4::lmer(Reaction ~ Days + (1 | Subject), sleepstudy, REML = TRUE)
  fm_slopes <- lme4::lmer(Reaction ~ Days + (Days | Subject), sleepstudy, REML = TRUE)
  a <- with_messages(anova(fm_int, fm_slopes))
  list(call = call_str, data = ssp,
       models = list(fm_int = "Reaction ~ Days + (1 | Subject)",
                     fm_slopes = "Reaction ~ Days + (Days | Subject)"),
       table = df_rows(as.data.frame(a$value, check.names = FALSE)),
       columns = chr_array(colnames(a$value)),
       messages = chr_array(a$messages),
       text = paste(capture.output(print(a$value)), collapse = "\n"))
})

## ---------------------------------------------------------------------------
## No / complete / partial pooling on sleepstudy
## ---------------------------------------------------------------------------

run_case("pooling_sleepstudy", {
  sleepstudy <- ss
  no_pool <- t(sapply(split(sleepstudy, sleepstudy$Subject),
                      function(d) coef(lm(Reaction ~ Days, data = d))))
  complete <- coef(lm(Reaction ~ Days, data = sleepstudy))
  m <- lme4::lmer(Reaction ~ Days + (Days | Subject), sleepstudy, REML = TRUE)
  partial <- as.matrix(coef(m)$Subject)
  list(
    call = paste("no pooling: lm(Reaction ~ Days) per Subject;",
                 "complete pooling: lm(Reaction ~ Days, sleepstudy);",
                 "partial pooling: coef(lmer(Reaction ~ Days + (Days | Subject), sleepstudy, REML = TRUE))$Subject"),
    data = ssp,
    no_pooling = list(levels = chr_array(rownames(no_pool)),
                      columns = chr_array(colnames(no_pool)),
                      values = rows(no_pool)),
    complete_pooling = named(complete),
    partial_pooling = list(levels = chr_array(rownames(partial)),
                           columns = chr_array(colnames(partial)),
                           values = rows(partial)),
    sd_no_pooling = named(apply(no_pool, 2, sd)),
    sd_partial_pooling = named(apply(partial, 2, sd)))
})

## ---------------------------------------------------------------------------
## Parametric bootstrap (information only; R's RNG is not reproducible in
## Python, so use these only with a loose tolerance)
## ---------------------------------------------------------------------------

run_case("boot_sleepstudy", {
  sleepstudy <- ss
  m <- lme4::lmer(Reaction ~ Days + (Days | Subject), sleepstudy, REML = TRUE)
  t200 <- system.time(b200 <- with_messages(
    bootMer(m, fixef, nsim = 200, seed = 1)))[["elapsed"]]
  set.seed(101)
  t1000 <- system.time(b <- with_messages(
    bootMer(m, fixef, nsim = 1000)))[["elapsed"]]
  ci_perc <- confint(b$value, type = "perc", level = 0.95)   # boot.ci percentile
  q <- t(apply(b$value$t, 2, quantile, probs = c(0.025, 0.975)))  # type 7
  list(
    call = paste("m <- lmer(Reaction ~ Days + (Days | Subject), sleepstudy, REML = TRUE);",
                 "system.time(bootMer(m, fixef, nsim = 200, seed = 1));",
                 "set.seed(101); b <- bootMer(m, fixef, nsim = 1000);",
                 "confint(b, type = \"perc\")"),
    data = ssp,
    bootmer_time_nsim200_elapsed = t200,
    bootmer_time_nsim1000_elapsed = t1000,
    bootmer_ci = ci_list(ci_perc),
    bootmer_ci_method = "confint(b, type = 'perc'), i.e. boot::boot.ci percentile",
    bootmer_ci_quantile7 = ci_list(q),
    bootmer_mean = named(colMeans(b$value$t)),
    bootmer_sd = named(apply(b$value$t, 2, sd)),
    messages_nsim200 = chr_array(unique(b200$messages)),
    messages_nsim1000 = chr_array(unique(b$messages)))
})

## ---------------------------------------------------------------------------
## allFit() on sleepstudy: every optimizer of lme4's list
## ---------------------------------------------------------------------------

run_case("allfit_sleepstudy", {
  sleepstudy <- ss
  m <- lme4::lmer(Reaction ~ Days + (Days | Subject), sleepstudy, REML = TRUE)
  a <- allFit(m, verbose = FALSE)
  one <- function(x) list(
    loglik = as.numeric(logLik(x)), theta = I(unname(getME(x, "theta"))),
    fixef = named(fixef(x)), feval = x@optinfo$feval, conv = x@optinfo$conv$opt,
    messages = chr_array(c(unlist(x@optinfo$warnings), x@optinfo$conv$lme4$messages)))
  list(call = paste("m <- lmer(Reaction ~ Days + (Days | Subject), sleepstudy, REML = TRUE);",
                    "allFit(m)"),
       data = ssp,
       optimizers = lapply(a, function(x)
         if (inherits(x, "error")) list(error = conditionMessage(x)) else one(x)))
})

## crossed_big: not computed here (a benchmark does it).

## ---------------------------------------------------------------------------
## Write the JSON
## ---------------------------------------------------------------------------

meta <- list(
  R        = R.version.string,
  lme4     = format(packageVersion("lme4")),
  lmerTest = format(packageVersion("lmerTest")),
  Matrix   = format(packageVersion("Matrix")),
  jsonlite = format(packageVersion("jsonlite")),
  platform = R.version$platform,
  script   = "tests/reference/make_reference.R",
  notes    = paste("objective = REMLcrit() for REML fits, deviance() for ML fits;",
                   "NA / non-finite numbers are written as null;",
                   "varcorr NA names are written as empty strings.")
)

json <- toJSON(list(meta = meta, cases = cases), auto_unbox = TRUE,
               digits = NA, na = "null", null = "null", pretty = TRUE)
writeLines(json, file.path(out_dir, "lme4_reference.json"))
cat("wrote", file.path(out_dir, "lme4_reference.json"), "with",
    length(cases), "cases\n")
