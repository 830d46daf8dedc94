/* Grade distribution charts (workbench ratings page). Chart.js is served from our own static
   files; the tables below the charts hold the same figures and are the accessible form. */
(function () {
  "use strict";
  var source = document.getElementById("grade-data");
  if (!source || !window.Chart) { return; }
  var data = JSON.parse(source.textContent);
  // A green to red scale that reaches 4.5:1 on white.
  var colours = { A: "#1e6b34", B: "#0b4a8b", C: "#8a6d00", D: "#b3261e" };
  if (window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches) {
    Chart.defaults.animation = false;
  }
  function stacked(id, chart) {
    var canvas = document.getElementById(id);
    if (!canvas || !chart.labels.length) { return; }
    canvas.parentNode.style.height = Math.max(220, chart.labels.length * 28 + 90) + "px";
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: chart.labels,
        datasets: chart.grades.map(function (g) {
          return { label: g, data: chart.series[g], backgroundColor: colours[g] };
        })
      },
      options: {
        indexAxis: "y", responsive: true, maintainAspectRatio: false,
        scales: { x: { stacked: true }, y: { stacked: true } },
        plugins: { legend: { position: "bottom" } }
      }
    });
  }
  stacked("chart-region", data.region);
  stacked("chart-industry", data.industry);
})();
