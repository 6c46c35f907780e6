/* Charts of the gap pages (ECharts, SVG renderer). Every chart has a table alternative on the
   page; tooltips are built as text nodes so names never run as HTML. */
(function () {
  "use strict";
  var palette = ["#1d4ed8", "#b45309", "#0f766e", "#7c3aed", "#be123c"];

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

  /* A person's current vs target level per skill (two horizontal bar series). */
  function levels(element, spec) {
    init(element).setOption({
      color: ["#1d4ed8", "#9ca3af"],
      animation: false,
      legend: { top: 0 },
      grid: { left: 8, right: 24, top: 30, bottom: 24, containLabel: true },
      tooltip: {
        trigger: "axis", axisPointer: { type: "shadow" },
        formatter: function (points) {
          return points.map(function (p) {
            var name = (spec.level_names || [])[p.value - 1] || "";
            return text(p.seriesName + ": " + p.value + "/" + spec.max + (name ? " (" + name + ")" : ""));
          }).join("<br>");
        }
      },
      xAxis: { type: "value", min: 0, max: spec.max, interval: 1 },
      yAxis: { type: "category", data: spec.labels, axisLabel: { width: 220, overflow: "truncate" } },
      series: [
        { type: "bar", name: spec.current_name, data: spec.current, barMaxWidth: 12,
          itemStyle: { decal: { symbol: "none" } } },
        { type: "bar", name: spec.target_name, data: spec.target, barMaxWidth: 12,
          itemStyle: { decal: { symbol: "rect", dashArrayX: [1, 0], dashArrayY: [2, 3], rotation: -0.8, color: "#4b5563" } } }
      ],
      aria: { enabled: true, decal: { show: true } }
    });
  }

  /* Ranked gaps: impact as horizontal bars, coverage in the tooltip and the label. */
  function bars(element, spec) {
    init(element).setOption({
      color: palette,
      animation: false,
      grid: { left: 8, right: 70, top: 8, bottom: 24, containLabel: true },
      tooltip: {
        trigger: "axis", axisPointer: { type: "shadow" },
        formatter: function (points) {
          var p = points[0];
          return text(p.name + ": " + spec.series_name + " " + p.value + " · " +
            spec.coverage_name + " " + spec.coverage[p.dataIndex] + "%");
        }
      },
      xAxis: { type: "value", name: spec.series_name, nameLocation: "middle", nameGap: 26 },
      yAxis: { type: "category", data: spec.labels, axisLabel: { width: 240, overflow: "truncate" } },
      series: [{
        type: "bar", name: spec.series_name, data: spec.values, barMaxWidth: 18,
        itemStyle: { borderRadius: [0, 4, 4, 0] },
        label: { show: true, position: "right", color: "#1b1f24",
          formatter: function (p) { return spec.coverage[p.dataIndex] + "%"; } }
      }]
    });
  }

  /* A heatmap (people or units × skills); markers show targets (filled: below, hollow: met). */
  function heatmap(element, spec) {
    var series = [{
      type: "heatmap", name: spec.value_name, data: spec.cells,
      label: { show: spec.cells.length <= 400, color: "#111827", fontSize: 10 },
      emphasis: { itemStyle: { borderColor: "#111827", borderWidth: 1 } }
    }];
    if (spec.markers && spec.markers.length) {
      series.push({
        type: "scatter", name: spec.target_name,
        data: spec.markers.map(function (m) { return { value: [m[0], m[1], m[2], m[3]],
          symbol: m[3] ? "triangle" : "emptyCircle" }; }),
        symbolSize: 8, symbolOffset: [12, -8],
        itemStyle: { color: "#111827" }
      });
    }
    init(element).setOption({
      animation: false,
      grid: { left: 8, right: 24, top: 8, bottom: 56, containLabel: true },
      tooltip: {
        formatter: function (p) {
          var v = p.value;
          var x = spec.x[v[0]], y = spec.y[v[1]];
          if (p.seriesType === "scatter") {
            return text(y + " · " + x + ": " + spec.target_name + " " + v[2] + "/5 (" +
              (v[3] ? spec.below_name : spec.met_name) + ")");
          }
          var lines = [y + " · " + x, spec.value_name + ": " + (spec.max === 100 ? v[2] + "%" :
            v[2] + "/5" + ((spec.level_names || [])[v[2] - 1] ? " (" + spec.level_names[v[2] - 1] + ")" : ""))];
          if (v.length > 3) {
            lines.push(spec.demand_name + ": " + v[3] + " · " + spec.met_name + ": " + v[4] +
              " · " + spec.supply_name + ": " + v[5]);
          }
          return lines.map(text).join("<br>");
        }
      },
      xAxis: { type: "category", data: spec.x, position: "top",
        axisLabel: { rotate: 45, width: 150, overflow: "truncate", interval: 0 }, splitArea: { show: true } },
      yAxis: { type: "category", data: spec.y, inverse: true,
        axisLabel: { width: 180, overflow: "truncate", interval: 0 }, splitArea: { show: true } },
      visualMap: {
        min: spec.min, max: spec.max, calculable: false, orient: "horizontal", left: "center",
        bottom: 0, itemHeight: 160, text: [String(spec.max), String(spec.min)],
        inRange: { color: ["#fde4e4", "#fff3d6", "#dbeafe", "#1d4ed8"] }, dimension: 2,
        seriesIndex: 0
      },
      series: series
    });
  }

  /* The trend over snapshots: total impact (bars) and coverage (line, right axis). */
  function trend(element, spec) {
    init(element).setOption({
      color: ["#93a8d8", "#b45309"],
      animation: false,
      legend: { top: 0 },
      grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: spec.x },
      yAxis: [{ type: "value", name: spec.impact_name }, { type: "value", name: spec.coverage_name + " %", min: 0, max: 100 }],
      series: [
        { type: "bar", name: spec.impact_name, data: spec.impact, barMaxWidth: 28 },
        { type: "line", name: spec.coverage_name, data: spec.coverage, yAxisIndex: 1, symbol: "diamond", symbolSize: 8 }
      ]
    });
  }

  var kinds = { levels: levels, bars: bars, heatmap: heatmap, trend: trend };

  function drawAll() {
    if (typeof echarts === "undefined") { return; }
    document.querySelectorAll("[data-gap-chart]").forEach(function (element) {
      var draw = kinds[element.getAttribute("data-gap-chart")];
      if (draw) { draw(element, JSON.parse(element.getAttribute("data-spec"))); }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
