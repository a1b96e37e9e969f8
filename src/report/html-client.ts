/**
 * The script report.html runs: it draws the chart specs (html-charts.ts) embedded in the page with uPlot, which the
 * page inlines before it. Plain ES2020 kept as text (not compiled from a function, whose source a bundler or coverage
 * tool could rewrite), so it must not use backticks or `${`. Every drawn chart is listed in `window.kmsBenchCharts`
 * with its series and point counts, which the browser test reads. Series with a `marker` get that point shape (drawn
 * here: uPlot only draws circles), shown where points are sparse enough to read, so overlapping variants stay apart
 * by shape and dash as well as by colour.
 */
export const CLIENT_SCRIPT = String.raw`
(function () {
  'use strict';
  var registry = [];
  window.kmsBenchCharts = registry;
  var specs = JSON.parse(document.getElementById('kms-bench-charts').textContent);
  var plots = [];

  function fmt(v) {
    if (v == null || !isFinite(v)) return '–';
    var a = Math.abs(v);
    if (a >= 1e6) return (v / 1e6).toFixed(a >= 1e7 ? 0 : 1) + 'M';
    if (a >= 1e4) return (v / 1e3).toFixed(a >= 1e5 ? 0 : 1) + 'k';
    if (a >= 100 || Number.isInteger(v)) return String(Math.round(v * 10) / 10);
    return String(Number(v.toPrecision(3)));
  }

  function widthOf(el) {
    return Math.max(300, Math.floor(el.clientWidth || 600));
  }

  function countPoints(series) {
    var n = 0;
    series.forEach(function (s) {
      s.values.forEach(function (v) { if (v != null && isFinite(v)) n++; });
    });
    return n;
  }

  var SHAPES = {
    circle: function (p, x, y, r) { p.moveTo(x + r, y); p.arc(x, y, r, 0, 2 * Math.PI); },
    square: function (p, x, y, r) { p.rect(x - r, y - r, 2 * r, 2 * r); },
    triangle: function (p, x, y, r) { p.moveTo(x, y - 1.2 * r); p.lineTo(x + 1.1 * r, y + 0.9 * r); p.lineTo(x - 1.1 * r, y + 0.9 * r); p.closePath(); },
    diamond: function (p, x, y, r) { p.moveTo(x, y - 1.35 * r); p.lineTo(x + r, y); p.lineTo(x, y + 1.35 * r); p.lineTo(x - r, y); p.closePath(); },
    cross: function (p, x, y, r) { p.moveTo(x - r, y - r); p.lineTo(x + r, y + r); p.moveTo(x + r, y - r); p.lineTo(x - r, y + r); }
  };

  // A uPlot points path builder drawing one shape at every non-null value, in canvas pixels.
  function markerPaths(shape) {
    var draw = SHAPES[shape] || SHAPES.circle;
    return function (u, si, i0, i1) {
      var s = u.series[si];
      var r = (s.points.size / 2) * (window.devicePixelRatio || 1);
      var xs = u.data[0];
      var ys = u.data[si];
      var path = new Path2D();
      for (var i = i0; i <= i1; i++) {
        if (ys[i] == null) continue;
        draw(path, u.valToPos(xs[i], 'x', true), u.valToPos(ys[i], s.scale, true), r);
      }
      return { stroke: path, fill: shape === 'cross' ? null : path, flags: 0 };
    };
  }

  function pointsOf(spec, s) {
    if (!s.marker) return { show: !!spec.points, size: 7, fill: s.color };
    var points = { size: 8, width: 1.5, fill: s.color, stroke: s.color, paths: markerPaths(s.marker) };
    // Without 'show', uPlot shows points only where they are sparse enough to read.
    if (spec.points) points.show = true;
    return points;
  }

  function axes(spec, xValues, xSplits) {
    var x = { label: spec.xLabel || '', stroke: '#374151', grid: { stroke: '#eef0f3' }, ticks: { stroke: '#d1d5db' } };
    if (xValues) { x.values = xValues; }
    if (xSplits) { x.splits = xSplits; }
    var y = { label: spec.yLabel, stroke: '#374151', grid: { stroke: '#eef0f3' }, ticks: { stroke: '#d1d5db' }, size: 60,
      values: function (u, splits) { return splits.map(fmt); } };
    return [x, y];
  }

  function lineChart(el, spec) {
    var data = [spec.x.slice()];
    var series = [{ label: spec.xLabels ? spec.xLabel : 'second' }];
    spec.series.forEach(function (s) {
      data.push(s.values.slice());
      var cfg = { label: s.label, stroke: s.color, width: s.width || 1.5, value: function (u, v) { return fmt(v); } };
      if (s.fill) cfg.fill = s.fill;
      if (s.dash && s.dash.length > 0) cfg.dash = s.dash;
      cfg.points = pointsOf(spec, s);
      series.push(cfg);
    });
    var opts = {
      width: widthOf(el),
      height: 260,
      series: series,
      scales: { x: { time: false }, y: spec.logY ? { distr: 3 } : { range: function (u, min, max) { return [0, max > 0 ? max * 1.08 : 1]; } } },
      axes: spec.xLabels
        ? axes(spec, function (u, splits) { return splits.map(function (v) { return spec.xLabels[v] == null ? '' : spec.xLabels[v]; }); },
            function () { return spec.x.slice(); })
        : axes(spec),
      legend: { live: true },
      cursor: { drag: { x: true, y: false } },
    };
    if (!spec.xLabels) {
      // Whole seconds only: a run's timeline has one point per second.
      opts.axes[0].incrs = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 28800, 86400];
    }
    if (spec.xLabels) {
      opts.scales.x.range = function () { return [-0.3, spec.x.length - 0.7]; };
      series[0].value = function (u, v) { return v == null ? '–' : spec.xLabels[v]; };
    }
    if (spec.bands) {
      opts.bands = spec.bands.map(function (b) { return { series: [b[0] + 1, b[1] + 1], fill: b[2] }; });
    }
    return new uPlot(opts, data, el);
  }

  function barChart(el, spec) {
    var per = spec.series.length + 1;
    var slots = spec.groups.length * per;
    var x = [];
    for (var i = 0; i < slots; i++) x.push(i);
    var data = [x];
    var series = [{ label: 'group', value: function (u, v) { return v == null ? '–' : spec.groups[Math.floor(v / per)]; } }];
    var bars = uPlot.paths.bars({ size: [0.92, 80], align: 0 });
    spec.series.forEach(function (s, si) {
      var values = new Array(slots).fill(null);
      spec.groups.forEach(function (_, g) { values[g * per + si] = s.values[g]; });
      data.push(values);
      series.push({ label: s.label, stroke: s.color, fill: s.fill || s.color, width: 0, paths: bars, points: { show: false },
        value: function (u, v) { return fmt(v); } });
    });
    var centers = spec.groups.map(function (_, g) { return g * per + (spec.series.length - 1) / 2; });
    var opts = {
      width: widthOf(el),
      height: 260,
      series: series,
      scales: {
        x: { time: false, range: function () { return [-0.7, slots - 1.3]; } },
        y: { range: function (u, min, max) { return [0, max > 0 ? max * 1.1 : 1]; } },
      },
      axes: axes(spec, function (u, splits) {
        // Long group names (variant names) are cut to the width of their group; the legend shows them whole.
        var room = Math.max(6, Math.floor(u.bbox.width / (window.devicePixelRatio || 1) / spec.groups.length / 7));
        return splits.map(function (v) {
          var g = Math.round((v - (spec.series.length - 1) / 2) / per);
          var name = spec.groups[g] == null ? '' : spec.groups[g];
          return name.length > room ? name.slice(0, room - 1) + '…' : name;
        });
      }, function () { return centers; }),
      legend: { live: true },
    };
    return new uPlot(opts, data, el);
  }

  specs.forEach(function (spec) {
    var el = document.getElementById(spec.id);
    if (!el) return;
    var plot = spec.kind === 'bars' ? barChart(el, spec) : lineChart(el, spec);
    plots.push({ el: el, plot: plot });
    el.setAttribute('data-rendered', 'true');
    registry.push({ id: spec.id, title: spec.title, kind: spec.kind, series: spec.series.length, points: countPoints(spec.series) });
  });

  var pending = 0;
  window.addEventListener('resize', function () {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(function () {
      plots.forEach(function (p) { p.plot.setSize({ width: widthOf(p.el), height: 260 }); });
    });
  });
})();
`;
