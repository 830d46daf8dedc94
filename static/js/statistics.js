/* Timeliness charts (disclosure statistics page). Chart.js is served from our own static
   files (static/vendor/chartjs), so the page works with no internet. The table below the
   charts holds the same figures and is the accessible form; the charts only repeat it. */
(function () {
  "use strict";
  var source = document.getElementById("timeliness-data");
  if (!source || !window.Chart) { return; }
  var data = JSON.parse(source.textContent);
  if (!data.labels.length) { return; }

  var text = data.text;
  // The site's palette: green, dark amber and red all reach 4.5:1 or more on white.
  var colours = { onTime: "#1e6b34", late: "#8a6d00", overdue: "#b3261e", brand: "#0b4a8b" };
  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var style = window.getComputedStyle(document.body);
  Chart.defaults.font.family = style.fontFamily;
  Chart.defaults.font.size = Math.round(parseFloat(style.fontSize) * 0.9);
  Chart.defaults.color = "#1b1b1b";
  if (reduceMotion) { Chart.defaults.animation = false; }

  // Horizontal bars: long department names stay readable on a phone.
  function sizeBox(canvas) {
    var box = canvas.parentNode;
    box.style.height = Math.max(220, data.labels.length * 42 + 90) + "px";
  }

  function bar(id, datasets, options) {
    var canvas = document.getElementById(id);
    if (!canvas) { return; }
    sizeBox(canvas);
    new Chart(canvas, {
      type: "bar",
      data: { labels: data.labels, datasets: datasets },
      options: Object.assign({
        indexAxis: "y",
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { display: datasets.length > 1, position: "bottom" } }
      }, options)
    });
  }

  bar("chart-share", [
    { label: text.share, data: data.share, backgroundColor: colours.brand }
  ], { scales: { x: { min: 0, max: 100 } } });

  bar("chart-median", [
    { label: text.median, data: data.median, backgroundColor: colours.brand }
  ], { scales: { x: { beginAtZero: true } } });

  bar("chart-outcomes", [
    { label: text.on_time, data: data.on_time, backgroundColor: colours.onTime },
    { label: text.late, data: data.late, backgroundColor: colours.late },
    { label: text.overdue, data: data.overdue, backgroundColor: colours.overdue }
  ], { scales: { x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }, y: { stacked: true } } });
})();
