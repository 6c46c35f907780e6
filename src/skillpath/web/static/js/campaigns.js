/* Campaign pages: filters for the long pickers, and the completion chart (stacked bars by
   unit). Everything works without JavaScript; the chart has a table alternative. */
(function () {
  "use strict";
  var colours = ["#1d4ed8", "#b45309", "#94a3b8"];

  function enableFilters() {
    document.querySelectorAll("[data-filter-for]").forEach(function (input) {
      var list = document.getElementById(input.getAttribute("data-filter-for"));
      if (!list) { return; }
      input.hidden = false;
      input.addEventListener("input", function () {
        var needle = input.value.trim().toLowerCase();
        list.querySelectorAll("li").forEach(function (item) {
          var checked = item.querySelector("input:checked") !== null;
          item.hidden = needle !== "" && !checked &&
            item.textContent.toLowerCase().indexOf(needle) === -1;
        });
      });
    });
  }

  function completionChart(element, spec) {
    var chart = echarts.init(element, null, { renderer: "svg" });
    chart.setOption({
      color: colours,
      animation: false,
      aria: { enabled: true, decal: { show: true } },
      legend: { top: 0, selectedMode: false },
      grid: { left: 8, right: 24, top: 32, bottom: 24, containLabel: true },
      tooltip: {
        trigger: "axis",
        axisPointer: { type: "shadow" },
        formatter: function (points) {
          var box = document.createElement("div");
          var title = document.createElement("strong");
          title.textContent = points[0].name;
          box.appendChild(title);
          points.forEach(function (point) {
            var line = document.createElement("div");
            line.textContent = point.seriesName + ": " + point.value + " " + spec.tasks_word;
            box.appendChild(line);
          });
          return box.outerHTML;
        }
      },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: spec.labels, axisLabel: { width: 200, overflow: "truncate" } },
      series: spec.series.map(function (series) {
        return { type: "bar", stack: "tasks", name: series.name, data: series.values, barMaxWidth: 20 };
      })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function start() {
    enableFilters();
    if (typeof echarts === "undefined") { return; }
    document.querySelectorAll("[data-chart-completion]").forEach(function (element) {
      completionChart(element, JSON.parse(element.getAttribute("data-chart-completion")));
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
