# Labeled metrics through bcmon-exporter: one family per metric with one
# series per tuple of label values (histograms per series), bcmon.ko's
# series counts and refusals as module_series / module_series_refused_total,
# promtool clean, and the fairness test over a labeled counter's values.
# timeout: 300
. /opt/bcmon/lib.sh
. "$(dirname "$0")/exporter-lib.sh.inc"
unload_bcmon
insmod "$BCMON_KO" max_series=3 label_charset=printable

bcmonctl create game "bets:counter:labels=peer,table:help=Bets by peer" \
	"stake:histogram:unit=seconds:scale=-3:bounds=10,100:labels=peer" \
	"lvl:gauge:labels=peer" "rolls:counter:labels=total"
bcmonctl add game bets 2 peer=ab12 table=1 bets 3 peer=cd34 table=1
bcmonctl observe game stake 5 peer=ab12 stake 50 peer=ab12 stake 5000 peer=cd34
bcmonctl set game lvl -7 'peer=a "quoted" \one'
expect_fail bcmonctl add game bets 1 peer=x table=2 bets 1 peer=y table=2	# past max_series=3

cat >/tmp/exporter.yml <<YAML
distributions:
  - set: game
    metric: rolls
    label: total
    window: 2s
    expected: {"heads": 1, "tails": 1}
YAML
exporter_start --config.file=/tmp/exporter.yml --no-collector.bpf
M=/tmp/m.txt
scrape "$M"
promtool_clean "$M"
histograms_consistent "$M"
grep -qx '# HELP bitcraps_game_bets_total Bets by peer' "$M" || fail "one family with its help"
assert_eq 1 "$(grep -c '^# TYPE bitcraps_game_bets_total counter' "$M")" "one TYPE line"
assert_eq 2 "$(value "$M" 'bitcraps_game_bets_total{peer="ab12",table="1"}')" "series ab12"
assert_eq 3 "$(value "$M" 'bitcraps_game_bets_total{peer="cd34",table="1"}')" "series cd34"
assert_eq 0.055 "$(value "$M" 'bitcraps_game_stake_seconds_sum{peer="ab12"}')" "histogram series in base units"
assert_eq 2 "$(value "$M" 'bitcraps_game_stake_seconds_bucket{peer="ab12",le="0.1"}')" "its buckets"
assert_eq 1 "$(value "$M" 'bitcraps_game_stake_seconds_bucket{peer="cd34",le="+Inf"}')" "the other's"
# (awk would read the backslashes of the expected line itself: grep -F.)
grep -qxF 'bitcraps_game_lvl{peer="a \"quoted\" \\one"} -7' "$M" || fail "label values escaped"
assert_eq 2 "$(value "$M" 'bitcraps_module_series{set="game",metric="bets"}')" "series count"
assert_eq 1 "$(value "$M" 'bitcraps_module_series_refused_total{set="game",metric="bets",reason="series_limit"}')" "refusal counted and served"
assert_eq 0 "$(value "$M" 'bitcraps_module_series_refused_total{set="game",metric="bets",reason="label_value"}')" "other reasons at 0"
# Outcomes as label values: none rolled yet counts 0, so the window just starts.
assert_eq 1 "$(value "$M" 'bitcraps_distribution_test_skipped{set="game",reason="window_filling"}')" "labeled distribution read"
bcmonctl add game rolls 100 total=heads rolls 100 total=tails
sleep 2.2
scrape "$M"
assert_eq 200 "$(value "$M" 'bitcraps_distribution_observations{set="game"}')" "outcomes from series"
assert_eq 1 "$(value "$M" 'bitcraps_distribution_p_value{set="game"}')" "a fair coin"
# A deleted series leaves the exposition.
bcmonctl delete game bets peer=ab12 table=1
scrape "$M"
assert_eq missing "$(value "$M" 'bitcraps_game_bets_total{peer="ab12",table="1"}')" "deleted series gone"
assert_eq 1 "$(value "$M" 'bitcraps_module_series{set="game",metric="bets"}')" "count follows"
exporter_stop
bcmonctl destroy game
unload_bcmon
