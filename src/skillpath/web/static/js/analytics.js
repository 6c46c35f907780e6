/* Charts of the ROI dashboard (ECharts, SVG renderer): survival curves with bands, box plots of
   days to fill and the mobility sankey. Every chart has a table alternative on the page; tooltips
   are built as text nodes so names never run as HTML. */
(function () {
  "use strict";
  var colours = ["#1d4ed8", "#b45309"];

  function text(value) {
    var span = document.createElement("span");
    span.textContent = value;
    return span.outerHTML;
  }

  function init(element) {
    var chart = echarts.init(element, null, { renderer: "svg" });
    window.addEventListener("resize", function () { chart.resize(); });
    return chart;
  }

  /* Kaplan–Meier step curves of two groups, each with its 95 % band (a stacked area of
     low and high − low on the month categories). Participants solid, comparison dashed. */
  function survival(element, spec) {
    var series = [];
    var months = spec.groups[0].points.map(function (p) { return p[0]; });
    spec.groups.forEach(function (group, k) {
      var stack = "band" + k;
      series.push({ type: "line", name: group.name + " low", stack: stack, step: "end",
        data: group.low.map(function (p) { return p[1]; }), symbol: "none",
        lineStyle: { opacity: 0 }, silent: true, tooltip: { show: false } });
      series.push({ type: "line", name: spec.band_name + " " + group.name, stack: stack,
        step: "end", symbol: "none", lineStyle: { opacity: 0 }, silent: true,
        data: group.high.map(function (p, i) { return Math.round((p[1] - group.low[i][1]) * 10) / 10; }),
        areaStyle: { color: colours[k], opacity: k === 0 ? 0.18 : 0.12 }, tooltip: { show: false } });
      series.push({ type: "line", name: group.name, step: "end",
        data: group.points.map(function (p) { return p[1]; }),
        symbol: k === 0 ? "circle" : "triangle", symbolSize: 6,
        lineStyle: { color: colours[k], width: 2, type: k === 0 ? "solid" : "dashed" },
        itemStyle: { color: colours[k] } });
    });
    init(element).setOption({
      animation: false,
      legend: { top: 0, data: spec.groups.map(function (g) { return g.name; }) },
      grid: { left: 8, right: 16, top: 52, bottom: 28, containLabel: true },
      tooltip: {
        trigger: "axis",
        formatter: function (points) {
          var i = points[0].dataIndex;
          var lines = [spec.month_name + ": " + months[i]];
          spec.groups.forEach(function (g) {
            lines.push(g.name + ": " + g.points[i][1] + "% (" + g.low[i][1] + "–" + g.high[i][1] + "%)");
          });
          return lines.map(text).join("<br>");
        }
      },
      xAxis: { type: "category", data: months, boundaryGap: false, name: spec.month_name,
        nameLocation: "middle", nameGap: 24 },
      yAxis: { type: "value", name: spec.survival_name + " %", max: 100,
        nameTextStyle: { align: "left" },
        min: function (v) { return Math.max(0, Math.floor(v.min / 10) * 10); } },
      series: series,
      aria: { enabled: true }
    });
  }

  /* Days to fill: one box per source (min, Q1, median, Q3, max). */
  function boxes(element, spec) {
    init(element).setOption({
      animation: false,
      grid: { left: 8, right: 24, top: 8, bottom: 28, containLabel: true },
      tooltip: {
        trigger: "item",
        formatter: function (p) {
          var v = p.value.slice(-5);
          return text(p.name + " (" + spec.counts[p.dataIndex] + " " + spec.count_name + "): " +
            v[0] + " · " + v[1] + " · " + v[2] + " · " + v[3] + " · " + v[4]);
        }
      },
      xAxis: { type: "value", name: spec.days_name, nameLocation: "middle", nameGap: 24 },
      yAxis: { type: "category", data: spec.labels },
      series: [{ type: "boxplot", data: spec.boxes, boxWidth: [14, 36],
        itemStyle: { color: "#dbe4fb", borderColor: "#1d4ed8", borderWidth: 1.5 } }],
      aria: { enabled: true }
    });
  }

  /* Moves from one role family (left) to another (right). */
  function sankey(element, spec) {
    init(element).setOption({
      animation: false,
      tooltip: {
        trigger: "item",
        formatter: function (p) {
          if (p.dataType === "edge") {
            return text(p.data.source + " " + p.data.target + ": " + p.data.value + " " + spec.moves_name);
          }
          return text(p.name);
        }
      },
      series: [{ type: "sankey", data: spec.nodes, links: spec.links, left: 8, right: 170,
        top: 8, bottom: 8, nodeGap: 10, emphasis: { focus: "adjacency" },
        lineStyle: { color: "gradient", opacity: 0.35 },
        itemStyle: { color: "#1d4ed8", borderColor: "#1e3a8a" },
        label: { fontSize: 12 } }]
    });
  }

  var kinds = { survival: survival, boxes: boxes, sankey: sankey };

  function drawAll() {
    if (typeof echarts === "undefined") { return; }
    document.querySelectorAll("[data-roi-chart]").forEach(function (element) {
      var draw = kinds[element.getAttribute("data-roi-chart")];
      if (draw) { draw(element, JSON.parse(element.getAttribute("data-spec"))); }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
