/* Draws the ECharts charts a page declares with data attributes; every chart has a table
   alternative on the page, so nothing is lost without JavaScript. */
(function () {
  "use strict";
  var palette = ["#1d4ed8", "#0f766e", "#b45309", "#7c3aed", "#be123c"];

  function horizontalBar(element, spec) {
    var chart = echarts.init(element, null, { renderer: "svg" });
    chart.setOption({
      color: palette,
      animation: false,
      grid: { left: 8, right: 24, top: 8, bottom: 24, containLabel: true },
      tooltip: {
        trigger: "axis",
        axisPointer: { type: "shadow" },
        formatter: function (points) {
          var point = points[0];
          var name = (spec.level_names || [])[point.value - 1] || "";
          var text = document.createElement("span");
          text.textContent = point.name + ": " + spec.series_name + " " + point.value + "/" +
            spec.max + (name ? " (" + name + ")" : "");
          return text.outerHTML;
        }
      },
      xAxis: { type: "value", min: 0, max: spec.max, interval: 1 },
      yAxis: {
        type: "category",
        data: spec.labels,
        axisLabel: { width: 220, overflow: "truncate" }
      },
      series: [{
        type: "bar",
        name: spec.series_name,
        data: spec.values,
        barMaxWidth: 18,
        itemStyle: { borderRadius: [0, 4, 4, 0] },
        label: { show: true, position: "right", color: "#1b1f24" }
      }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function drawAll() {
    if (typeof echarts === "undefined") { return; }
    document.querySelectorAll("[data-chart-bar]").forEach(function (element) {
      horizontalBar(element, JSON.parse(element.getAttribute("data-chart-bar")));
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
