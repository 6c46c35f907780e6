/* The career map (ECharts graph, SVG renderer): the current role on the left, roles one and two
   steps away in the next columns, readiness in the labels. Decorative: the list beside it
   carries the same information. Names are set as text, never as HTML. */
(function () {
  "use strict";

  function text(value) {
    var span = document.createElement("span");
    span.textContent = value;
    return span.outerHTML;
  }

  function draw(element, spec) {
    if (!spec.nodes) { return; }
    var chart = echarts.init(element, null, { renderer: "svg" });
    window.addEventListener("resize", function () { chart.resize(); });
    var perColumn = {};
    spec.nodes.forEach(function (n) { perColumn[n.column] = (perColumn[n.column] || 0) + 1; });
    var columns = Object.keys(perColumn).length;
    var labelWidth = Math.max(60, Math.min(150, element.clientWidth / columns - 12));
    var nodes = spec.nodes.map(function (n) {
      var label = n.name + (n.readiness === null ? "" : "\n" + spec.ready_name + " " + n.readiness + "%");
      return {
        /* Each column's roles spread evenly over the full height, so the arrows stay short. */
        id: n.id, name: n.name, x: n.column * 100,
        y: (n.row + 0.5) / perColumn[n.column] * spec.rows * 60,
        value: n.readiness,
        symbol: n.current ? "rect" : "circle",
        symbolSize: n.current ? 18 : 14,
        itemStyle: { color: n.current ? "#1b1f24" : (n.column === 1 ? "#1d4ed8" : "#93a8d8"),
          borderColor: "#1b1f24", borderWidth: 1 },
        label: { show: true, position: "bottom", formatter: label, width: labelWidth, overflow: "break",
          color: "#1b1f24", fontSize: 11, lineHeight: 13 },
        tooltip: { formatter: text(n.current ? spec.current_name + ": " + n.name : n.name +
          (n.readiness === null ? "" : " · " + spec.ready_name + " " + n.readiness + "%")) }
      };
    });
    chart.setOption({
      animation: false,
      tooltip: {},
      series: [{
        type: "graph", layout: "none", roam: false, data: nodes,
        links: spec.links, edgeSymbol: ["none", "arrow"], edgeSymbolSize: 8,
        lineStyle: { color: "#6b7280", width: 1.5, curveness: 0 },
        left: labelWidth / 2 + 4, right: labelWidth / 2 + 4, top: 16, bottom: 64
      }]
    });
  }

  function drawAll() {
    if (typeof echarts === "undefined") { return; }
    document.querySelectorAll("[data-careers-chart]").forEach(function (element) {
      draw(element, JSON.parse(element.getAttribute("data-spec")));
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
