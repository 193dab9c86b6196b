#!/usr/bin/python3
"""Generate monitoring/grafana/bcmon.json, the bcmon Grafana dashboard.

The dashboard is written as code so that every panel follows the same
conventions (datasource variable, instance filter, units, legends) and the
JSON stays reviewable as a diff. Regenerate after editing:

    monitoring/grafana/make-dashboard.py > monitoring/grafana/bcmon.json

Only metrics that bcmon-exporter serves and the recording rules in
monitoring/rules/ are used; scripts/check-metric-names verifies that against
a real scrape.
"""
import json
import sys

DS = {"type": "prometheus", "uid": "${datasource}"}
SEL = 'instance=~"$instance"'

panels = []
next_id = 1
y = 0


def target(expr, legend="", ref="A", fmt=None, interval=None):
    t = {"datasource": DS, "expr": expr, "legendFormat": legend, "refId": ref}
    if fmt:
        t["format"] = fmt
    if interval:
        t["interval"] = interval
    return t


def refs(exprs):
    return [target(e, l, chr(ord("A") + i)) for i, (e, l) in enumerate(exprs)]


def place(w, h, x):
    return {"h": h, "w": w, "x": x, "y": y}


def add(panel, w, h, x):
    global next_id
    panel["id"] = next_id
    next_id += 1
    panel["gridPos"] = place(w, h, x)
    panel.setdefault("datasource", DS)
    panels.append(panel)


def row(title):
    global y, next_id
    panels.append({"type": "row", "title": title, "collapsed": False, "id": next_id,
                   "gridPos": {"h": 1, "w": 24, "x": 0, "y": y}, "panels": []})
    next_id += 1
    y += 1


def timeseries(title, exprs, unit="short", desc="", stack=False, minv=None, maxv=None):
    defaults = {"unit": unit, "custom": {"fillOpacity": 10, "showPoints": "never",
                                         "stacking": {"mode": "normal" if stack else "none"}}}
    if minv is not None:
        defaults["min"] = minv
    if maxv is not None:
        defaults["max"] = maxv
    return {"type": "timeseries", "title": title, "description": desc,
            "targets": refs(exprs),
            "fieldConfig": {"defaults": defaults, "overrides": []},
            "options": {"legend": {"displayMode": "list", "placement": "bottom"},
                        "tooltip": {"mode": "multi"}}}


def stat(title, expr, unit="short", desc="", mappings=None, thresholds=None, legend=""):
    steps = thresholds or [{"color": "green", "value": None}]
    return {"type": "stat", "title": title, "description": desc,
            "targets": [target(expr, legend)],
            "fieldConfig": {"defaults": {"unit": unit, "mappings": mappings or [],
                                         "thresholds": {"mode": "absolute", "steps": steps}},
                            "overrides": []},
            "options": {"reduceOptions": {"calcs": ["lastNotNull"]},
                        "colorMode": "background", "graphMode": "none"}}


def heatmap(title, metric, by, desc):
    expr = f'sum by (le) (rate({metric}_bucket{{{SEL}{by}}}[$__rate_interval]))'
    return {"type": "heatmap", "title": title, "description": desc,
            "targets": [target(expr, "{{le}}", fmt="heatmap")],
            "options": {"calculate": False, "yAxis": {"unit": "s"},
                        "cellGap": 1, "color": {"scheme": "Oranges", "mode": "scheme"},
                        "tooltip": {"show": True, "yHistogram": True}},
            "fieldConfig": {"defaults": {}, "overrides": []}}


def native_heatmap(title, metric, by, desc):
    """The same distribution from the native histogram (schema 3 buckets,
    about 9% wide): the query names the series itself, without _bucket, and
    Grafana (10 and later) draws a native histogram's buckets as the
    heatmap's cells. Empty for a Prometheus that scrapes text (no native
    series); the classic heatmap beside it then has the data."""
    expr = f'sum(rate({metric}{{{SEL}{by}}}[$__rate_interval]))'
    return {"type": "heatmap", "title": title, "description": desc,
            "targets": [target(expr, "", fmt="heatmap")],
            "options": {"calculate": False, "yAxis": {"unit": "s", "axisPlacement": "left"},
                        "cellGap": 0, "color": {"scheme": "Oranges", "mode": "scheme"},
                        "tooltip": {"show": True, "yHistogram": True}},
            "fieldConfig": {"defaults": {}, "overrides": []}}


# --- fleet -------------------------------------------------------------------
# One line per node (its node label, site where an agent adds one): the
# fleet at a glance, from the central Prometheus of either fleet shape
# (monitoring/fleet/). With a single node it is that node.
NODE = "{{node}} {{site}} ({{instance}})"
row("Fleet")
add(stat("Nodes", "sum(job:bitcraps_nodes:count)",
         desc="Nodes Prometheus scrapes (or receives from its sites' agents)."), 4, 4, 0)
add(stat("Nodes down", "sum(job:bitcraps_nodes_down:count)",
         desc="Nodes whose last scrape failed. Alerts: BitcrapsExporterDown per node, "
              "BitcrapsFleetNodesDown above a quarter of the fleet.",
         thresholds=[{"color": "green", "value": None}, {"color": "red", "value": 1}]), 4, 4, 4)
add(stat("Worst node's consensus p99", "max(job:bitcraps_consensus_latency_seconds:p99_rate5m_max)",
         unit="s", desc="The highest p99 over 5 minutes of any node: the fleet's tail.",
         thresholds=[{"color": "green", "value": None}, {"color": "yellow", "value": 0.5},
                     {"color": "red", "value": 1}]), 4, 4, 8)
add(stat("Silent sites", 'count(ALERTS{alertname="BitcrapsSiteSilent", alertstate="firing"}) '
         "or vector(0)",
         desc="Remote-write shape: sites whose agent has sent nothing for 5 minutes.",
         thresholds=[{"color": "green", "value": None}, {"color": "red", "value": 1}]), 4, 4, 12)
add(stat("Peer links", f"sum(bitcraps_peers_connected{{{SEL}}})",
         desc="TCP links between BitCraps peers, summed over the nodes (each node counts "
              "its own side)."), 4, 4, 16)
add(stat("Accepted rounds", f'sum(rate(bitcraps_consensus_proposals_total{{{SEL}, outcome="accepted"}}[5m]))',
         unit="ops", desc="Consensus rounds accepted per second, whole fleet."), 4, 4, 20)
y += 4
add(timeseries("Consensus p99 per node", [
    (f"instance:bitcraps_consensus_latency_seconds:p99_rate5m{{{SEL}}}", NODE)],
    unit="s", desc="Each node's p99 over 5 minutes; alert BitcrapsSlowConsensus at 1 s."),
    8, 8, 0)
add(timeseries("TCP RTT p50 per node", [
    ("histogram_quantile(0.5, sum by (job, instance, node, site, le) "
     f"(rate(bitcraps_network_tcp_rtt_seconds_bucket{{{SEL}}}[$__rate_interval])))", NODE)],
    unit="s", desc="Median RTT of each node's watched TCP connections: a node whose "
                   "links slow down stands out."), 8, 8, 8)
add(timeseries("Up per node", [(f'up{{job="bcmon", {SEL}}}', NODE)], minv=0, maxv=1,
               desc="1 while Prometheus (or the site's agent) scrapes the node."), 8, 8, 16)
y += 8

# --- node health -----------------------------------------------------------
row("Node health")
health_map = [{"type": "value", "options": {
    "0": {"text": "healthy", "color": "green"},
    "1": {"text": "warning", "color": "yellow"},
    "2": {"text": "critical", "color": "red"}}}]
add(stat("Health", f"max(bitcraps_health_status{{{SEL}}})",
         desc="bcmon-exporter's health rules: 0 healthy, 1 warning, 2 critical "
              "(thresholds in the exporter config).", mappings=health_map), 4, 4, 0)
add(stat("Thermal throttling", f"max(bitcraps_thermal_throttling{{{SEL}}})",
         desc="1 while any cooling device is active (state > 0).",
         mappings=[{"type": "value", "options": {
             "0": {"text": "no", "color": "green"},
             "1": {"text": "THROTTLED", "color": "red"}}}]), 4, 4, 4)
add(stat("Battery", f"min(bitcraps_battery_capacity_ratio{{{SEL}}})", unit="percentunit",
         desc="Lowest battery capacity of the node.",
         thresholds=[{"color": "red", "value": None}, {"color": "yellow", "value": 0.1},
                     {"color": "green", "value": 0.3}]), 4, 4, 8)
add(stat("Exporter up", f'min(up{{job="bcmon", {SEL}}})',
         mappings=[{"type": "value", "options": {
             "0": {"text": "DOWN", "color": "red"},
             "1": {"text": "up", "color": "green"}}}]), 4, 4, 12)
add(stat("Failing collectors", f"count(bitcraps_scrape_collector_success{{{SEL}}} == 0) or vector(0)",
         desc="Collectors that reported failure on the last scrape.",
         thresholds=[{"color": "green", "value": None}, {"color": "red", "value": 1}]), 4, 4, 16)
add(stat("Active games", f"sum(bitcraps_gaming_active_games{{{SEL}}})"), 4, 4, 20)
y += 4
add(timeseries("CPU usage", [
    (f"bitcraps_system_cpu_usage_ratio{{{SEL}}}", "system {{instance}}"),
    (f"bitcraps_process_cpu_usage_ratio{{{SEL}}}", "process {{instance}}")],
    unit="percentunit", minv=0, desc="Sampled every 5 s by the exporter."), 8, 8, 0)
add(timeseries("Memory", [
    (f"bitcraps_process_resident_memory_bytes{{{SEL}}}", "resident {{instance}}"),
    (f"bitcraps_system_memory_available_bytes{{{SEL}}}", "system available {{instance}}")],
    unit="bytes", minv=0, desc="Alerts at 150 MB (warning) and 200 MB (critical) resident."), 8, 8, 8)
add(timeseries("Battery capacity", [
    (f"bitcraps_battery_capacity_ratio{{{SEL}}}", "{{supply}}")],
    unit="percentunit", minv=0, maxv=1,
    desc="Alert BitcrapsBatteryDrainingFast: losing more than 5% per hour."), 8, 8, 16)
y += 8
add(timeseries("Thermal zones", [
    (f"bitcraps_thermal_zone_temperature_celsius{{{SEL}}}", "{{type}} (zone {{zone}})"),
    (f'bitcraps_thermal_zone_trip_celsius{{{SEL}, trip_type=~"passive|active"}}',
     "trip {{trip_type}} zone {{zone}}")],
    unit="celsius"), 12, 8, 0)
add(timeseries("Cooling devices", [
    (f"bitcraps_cooling_device_state{{{SEL}}}", "{{type}} ({{device}})")],
    minv=0, desc="Current cooling state; > 0 means the node is throttled."), 12, 8, 12)
y += 8

# --- network ---------------------------------------------------------------
row("Network latency (eBPF)")
add(heatmap("Message delivery latency", "bitcraps_network_delivery_latency_seconds", "",
            "Time a message waits in the socket before the application reads it, TCP and UDP."),
    12, 9, 0)
add(heatmap("TCP round-trip time", "bitcraps_network_tcp_rtt_seconds", "",
            "Every RTT sample the kernel's TCP stack takes."), 12, 9, 12)
y += 9
# The probes' histograms are native: a Prometheus with native histograms
# stores them as native series only (no _bucket series), which these draw;
# the two above draw the classic buckets of a Prometheus that scrapes text.
NATIVE_NOTE = (" Native histogram (schema 3 buckets, about 9% wide); empty when "
               "Prometheus scrapes text, see the classic heatmap.")
add(native_heatmap("Message delivery latency (native)",
                   "bitcraps_network_delivery_latency_seconds", "",
                   "Time a message waits in the socket before the application reads it, "
                   "TCP and UDP." + NATIVE_NOTE), 8, 9, 0)
add(native_heatmap("TCP round-trip time (native)", "bitcraps_network_tcp_rtt_seconds", "",
                   "Every RTT sample the kernel's TCP stack takes." + NATIVE_NOTE), 8, 9, 8)
add(native_heatmap("TCP connect latency (native)",
                   "bitcraps_network_tcp_connect_latency_seconds", "",
                   "SYN sent to established, outgoing connections." + NATIVE_NOTE), 8, 9, 16)
y += 9
add(timeseries("Delivery latency percentiles", [
    (f"proto_port:bitcraps_network_delivery_latency_seconds:p50_rate5m{{{SEL}}}",
     "p50 {{proto}}/{{port}}"),
    (f"proto_port:bitcraps_network_delivery_latency_seconds:p99_rate5m{{{SEL}}}",
     "p99 {{proto}}/{{port}}")], unit="s"), 8, 8, 0)
add(timeseries("TCP RTT percentiles", [
    (f"port:bitcraps_network_tcp_rtt_seconds:p50_rate5m{{{SEL}}}", "p50 {{port}}"),
    (f"port:bitcraps_network_tcp_rtt_seconds:p95_rate5m{{{SEL}}}", "p95 {{port}}"),
    (f"port:bitcraps_network_tcp_rtt_seconds:p99_rate5m{{{SEL}}}", "p99 {{port}}")],
    unit="s"), 8, 8, 8)
add(timeseries("TCP connect latency percentiles", [
    (f"port:bitcraps_network_tcp_connect_latency_seconds:p50_rate5m{{{SEL}}}", "p50 {{port}}"),
    (f"port:bitcraps_network_tcp_connect_latency_seconds:p99_rate5m{{{SEL}}}", "p99 {{port}}")],
    unit="s"), 8, 8, 16)
y += 8
add(timeseries("Messages", [
    (f"rate(bitcraps_network_messages_sent_total{{{SEL}}}[$__rate_interval])",
     "sent {{proto}}/{{port}}"),
    (f"rate(bitcraps_network_messages_received_total{{{SEL}}}[$__rate_interval])",
     "received {{proto}}/{{port}}")], unit="ops"), 8, 8, 0)
add(timeseries("Traffic", [
    (f"rate(bitcraps_network_sent_bytes_total{{{SEL}}}[$__rate_interval])",
     "sent {{proto}}/{{port}}"),
    (f"rate(bitcraps_network_received_bytes_total{{{SEL}}}[$__rate_interval])",
     "received {{proto}}/{{port}}")], unit="Bps"), 8, 8, 8)
add(timeseries("Probe drops", [
    (f"rate(bitcraps_network_probe_drops_total{{{SEL}}}[$__rate_interval])", "{{reason}}")],
    unit="ops", desc="Observations lost because a probe state map was full; "
                     "should be 0."), 8, 8, 16)
y += 8

# --- consensus -------------------------------------------------------------
row("Consensus")
add(timeseries("Consensus latency percentiles", [
    (f"instance:bitcraps_consensus_latency_seconds:p50_rate5m{{{SEL}}}", "p50 {{instance}}"),
    (f"instance:bitcraps_consensus_latency_seconds:p95_rate5m{{{SEL}}}", "p95 {{instance}}"),
    (f"instance:bitcraps_consensus_latency_seconds:p99_rate5m{{{SEL}}}", "p99 {{instance}}")],
    unit="s", desc="Alert BitcrapsSlowConsensus: p99 at or above 1 s for 5 minutes."), 8, 8, 0)
add(heatmap("Consensus latency", "bitcraps_consensus_latency_seconds", "",
            "Rounds per bucket of the seed's bounds: 1, 5, 10, 50, 100, 500, 1000 ms "
            "(empty where Prometheus scrapes native histograms without keeping the "
            "classic buckets: always on 2.x before 2.45, and on later versions unless "
            "scrape_classic_histograms / always_scrape_classic_histograms is set; "
            "the native form is drawn below)."),
    8, 8, 8)
add(timeseries("Proposals by outcome", [
    (f"sum by (outcome) (rate(bitcraps_consensus_proposals_total{{{SEL}}}[$__rate_interval]))",
     "{{outcome}}")], unit="ops", stack=True,
    desc="Decided rounds: accepted, rejected, timeout. "
         "Alert BitcrapsConsensusStalled: nothing accepted for 10 minutes."), 8, 8, 16)
y += 8
add(native_heatmap("Consensus latency (native)", "bitcraps_consensus_latency_seconds", "",
                   "Rounds per native bucket (schema 3, about 9% wide) beside the seed's "
                   "bounds: the body of the distribution that the classic heatmap puts "
                   "in one or two buckets. Empty when Prometheus scrapes text."),
    24, 8, 0)
y += 8

# --- game ------------------------------------------------------------------
row("Game")
add(timeseries("Games", [
    (f"bitcraps_gaming_active_games{{{SEL}}}", "active"),
    (f"rate(bitcraps_gaming_games_total{{{SEL}}}[$__rate_interval]) * 60", "started / min")]),
    8, 8, 0)
add(timeseries("Bets and volume", [
    (f"rate(bitcraps_gaming_bets_total{{{SEL}}}[$__rate_interval])", "bets / s"),
    (f"rate(bitcraps_gaming_volume_total{{{SEL}}}[$__rate_interval])", "chips / s")]),
    8, 8, 8)
add(timeseries("House edge (observed)", [
    (f"bitcraps_gaming_house_edge_ratio{{{SEL}}}", "{{instance}}")],
    unit="percentunit",
    desc="House winnings over settled volume; the pass line's theoretical edge is 1.41%."),
    8, 8, 16)
y += 8

# --- fairness --------------------------------------------------------------
row("Dice fairness")
add(stat("Fairness p-value", f'min(bitcraps_distribution_p_value{{{SEL}, set="dice"}})',
         unit="none", desc="Chi-square goodness of fit of the dice totals against 2d6. "
                           "Alert BitcrapsDiceUnfair below 0.001 for 10 minutes.",
         thresholds=[{"color": "red", "value": None}, {"color": "yellow", "value": 0.001},
                     {"color": "green", "value": 0.01}]), 6, 8, 0)
add(timeseries("Chi-square statistic", [
    (f'bitcraps_distribution_chi_square{{{SEL}, set="dice"}}', "chi-square"),
    (f'bitcraps_distribution_degrees_of_freedom{{{SEL}, set="dice"}}', "degrees of freedom")]),
    9, 8, 6)
dice = {"type": "barchart", "title": "Dice totals (share of rolls in range)",
        "description": "Fair 2d6: 7 comes up 1/6 of the time, 2 and 12 1/36 each.",
        "targets": [target(
            f'sum(increase(bitcraps_dice_rolls_total{{{SEL}, total="{t}"}}[$__range])) / '
            f"sum(increase(bitcraps_dice_rolls_total{{{SEL}}}[$__range]))",
            str(t), chr(ord("A") + t - 2)) for t in range(2, 13)],
        "fieldConfig": {"defaults": {"unit": "percentunit"}, "overrides": []},
        "options": {"orientation": "vertical", "xField": "Field", "showValue": "never"},
        "transformations": [{"id": "reduce", "options": {"reducers": ["lastNotNull"]}}]}
for t in dice["targets"]:
    t["instant"] = True
add(dice, 9, 8, 15)
y += 8

# --- players ---------------------------------------------------------------
row("Players")
add(timeseries("Suspicious-activity score by peer", [
    (f"bitcraps_players_suspicious_score{{{SEL}}}", "{{peer}}")],
    desc="z-score of each peer's pass-line wins against the fair 244/495, from 100 "
         "decided bets on. Alert BitcrapsSuspiciousPeer above 5 for 2 minutes."),
    8, 8, 0)
add(timeseries("Win rate by peer", [
    (f"bitcraps_players_win_rate_ratio{{{SEL}}}", "{{peer}}")], unit="percentunit",
    desc="Won over decided pass-line bets; fair play converges to 49.3%."), 8, 8, 8)
add(timeseries("Chips wagered and won by peer", [
    (f"sum by (peer) (rate(bitcraps_players_wagered_chips_total{{{SEL}}}[$__rate_interval]))",
     "wagered {{peer}}"),
    (f"sum by (peer) (rate(bitcraps_players_won_chips_total{{{SEL}}}[$__rate_interval]))",
     "won {{peer}}")], unit="cps"), 8, 8, 16)
y += 8

# --- errors ----------------------------------------------------------------
row("Errors")
add(timeseries("Errors by category", [
    (f"sum by (category) (rate(bitcraps_errors_total{{{SEL}}}[$__rate_interval]))",
     "{{category}}")], unit="ops", stack=True,
    desc="Alert BitcrapsErrorsRising: more than 3 per minute of severity error or "
         "critical in one category for 5 minutes."), 12, 8, 0)
add(timeseries("Errors by severity", [
    (f"sum by (severity) (rate(bitcraps_errors_total{{{SEL}}}[$__rate_interval]))",
     "{{severity}}")], unit="ops", stack=True), 12, 8, 12)
y += 8

dashboard = {
    "__inputs": [],
    "title": "bcmon: BitCraps fleet and nodes",
    "uid": "bcmon-node",
    "description": "The BitCraps fleet at a glance, then node health, network "
                   "latency, consensus, game, dice fairness and errors, from "
                   "bcmon-exporter.",
    "tags": ["bcmon", "bitcraps"],
    "timezone": "utc",
    "schemaVersion": 38,
    "version": 1,
    "editable": True,
    "refresh": "10s",
    "time": {"from": "now-1h", "to": "now"},
    "templating": {"list": [
        {"name": "datasource", "type": "datasource", "query": "prometheus",
         "label": "Data source", "current": {}},
        {"name": "instance", "type": "query", "datasource": DS, "label": "Node",
         "query": {"query": "label_values(bitcraps_exporter_build_info, instance)",
                   "refId": "instance"},
         "definition": "label_values(bitcraps_exporter_build_info, instance)",
         "includeAll": True, "multi": True, "allValue": ".*", "refresh": 2,
         "current": {}},
    ]},
    "annotations": {"list": [{
        "name": "Alerts", "datasource": DS, "enable": True, "iconColor": "red",
        "expr": 'ALERTS{alertstate="firing", alertname=~"Bitcraps.*"}',
        "titleFormat": "{{alertname}}", "textFormat": "{{instance}}"}]},
    "panels": panels,
}

json.dump(dashboard, sys.stdout, indent=2)
sys.stdout.write("\n")
