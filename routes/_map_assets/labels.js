/*
 * routes map: country labels for the countries on the segments shown, placed without
 * overlapping each other or other countries' dots. The busiest countries (known flow in + out,
 * then segments shown) are placed first; where no place is free, a label shortens to its code,
 * or is left out, so low zooms show fewer labels.
 */
(function () {
  "use strict";
  var RM = window.RoutesMap;
  var u = RM.util;

  var FONT = "12px system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
  var BOLD = "600 " + FONT;
  var HEIGHT = 14;
  var GAP = 3;

  RM.module("labels", function (ctx) {
    var map = ctx.map;
    var pane = map.getPane("routesLabels");
    var layer = u.svg("svg", { class: "routes-labels", "aria-hidden": "true" });
    pane.appendChild(layer);
    var measure = document.createElement("canvas").getContext("2d");

    function textWidth(text, bold) {
      measure.font = bold ? BOLD : FONT;
      return Math.ceil(measure.measureText(text).width);
    }
    function overlaps(a, b) {
      return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
    }

    function draw() {
      var size = map.getSize();
      var origin = map.containerPointToLayerPoint([0, 0]);
      L.DomUtil.setPosition(layer, origin);
      layer.setAttribute("width", size.x);
      layer.setAttribute("height", size.y);
      layer.setAttribute("viewBox", "0 0 " + size.x + " " + size.y);
      u.clear(layer);

      var degree = {};
      ctx.arcs.forEach(function (arc) {
        if (!arc.shown) return;
        degree[arc.p.origin] = (degree[arc.p.origin] || 0) + 1;
        degree[arc.p.destination] = (degree[arc.p.destination] || 0) + 1;
      });
      var candidates = ctx.nodes
        .filter(function (node) {
          return degree[node.p.code];
        })
        .map(function (node) {
          var rec = ctx.nodeRecord(node);
          var point = map.latLngToContainerPoint(node.latlng);
          return { node: node, point: point, r: ctx.radius(node), weight: rec && rec.through ? rec.through : 0 };
        })
        .filter(function (c) {
          return c.point.x >= -20 && c.point.y >= -20 && c.point.x <= size.x + 20 && c.point.y <= size.y + 20;
        });
      candidates.sort(function (a, b) {
        return (
          b.weight - a.weight ||
          degree[b.node.p.code] - degree[a.node.p.code] ||
          (a.node.p.code < b.node.p.code ? -1 : 1)
        );
      });
      // Obstacles: every dot drawn (faded ones too), so that no label hides a country, and the controls.
      var taken = ctx.nodes.map(function (node) {
        var point = map.latLngToContainerPoint(node.latlng);
        var r = ctx.radius(node);
        return { x: point.x - r, y: point.y - r, w: 2 * r, h: 2 * r, own: node.p.code };
      });
      var frame = ctx.container.getBoundingClientRect();
      Array.prototype.forEach.call(ctx.container.querySelectorAll(".leaflet-control"), function (control) {
        var rect = control.getBoundingClientRect();
        if (rect.width && rect.height) {
          taken.push({ x: rect.left - frame.left, y: rect.top - frame.top, w: rect.width, h: rect.height, own: "" });
        }
      });
      var placed = [];
      var controls = taken.filter(function (box) {
        return box.own === "";
      });
      // The busiest countries may cover another country's dot (never a label or a control) when
      // nothing else is free: at low zoom their names matter most.
      function place(c, rank, text, bold, short, obstacles) {
        var w = textWidth(text, bold);
        var d = c.r + GAP;
        var spots = [
          [c.point.x + d, c.point.y - HEIGHT / 2],
          [c.point.x - d - w, c.point.y - HEIGHT / 2],
          [c.point.x - w / 2, c.point.y - d - HEIGHT],
          [c.point.x - w / 2, c.point.y + d],
          [c.point.x + d * 0.7, c.point.y - d * 0.7 - HEIGHT],
          [c.point.x + d * 0.7, c.point.y + d * 0.7],
          [c.point.x - d * 0.7 - w, c.point.y - d * 0.7 - HEIGHT],
          [c.point.x - d * 0.7 - w, c.point.y + d * 0.7],
        ];
        for (var s = 0; s < spots.length; s++) {
          var box = { x: spots[s][0], y: spots[s][1], w: w, h: HEIGHT };
          if (box.x < 2 || box.y < 2 || box.x + box.w > size.x - 2 || box.y + box.h > size.y - 2) continue;
          var free =
            placed.every(function (other) {
              return !overlaps(box, other);
            }) &&
            obstacles.every(function (dot) {
              return dot.own === c.node.p.code || !overlaps(box, dot);
            });
          if (!free) continue;
          placed.push(box);
          var label = u.svg("text", {
            x: box.x,
            y: box.y + HEIGHT - 3,
            class: "routes-label-text" + (bold ? " routes-label-major" : "") + (short ? " routes-label-short" : ""),
            "data-code": c.node.p.code,
          });
          label.textContent = text;
          layer.appendChild(label);
          return true;
        }
        return false;
      }
      candidates.forEach(function (c, rank) {
        var bold = rank < 5 && c.weight > 0;
        var full = ctx.name(c.node.p.code);
        var options = [full];
        if (full !== c.node.p.code) options.push(c.node.p.code);
        var passes = rank < 5 && c.weight > 0 ? [taken, controls] : [taken];
        for (var pass = 0; pass < passes.length; pass++) {
          for (var t = 0; t < options.length; t++) {
            if (place(c, rank, options[t], bold, t > 0, passes[pass])) return;
          }
        }
      });
      ctx.container.setAttribute("data-labels", String(placed.length));
    }

    ctx.drawLabels = draw;
    map.on("zoomstart", function () {
      layer.style.display = "none";
    });
    map.on("zoomend moveend viewreset resize", function () {
      layer.style.display = "";
      draw();
    });
    ctx.on("layout", draw); // after every change of state or of the controls' sizes
    ctx.on("view", draw);
  });
})();
