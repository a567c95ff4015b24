// The map page: zoom (buttons, wheel, + and - keys) and pan (drag, arrow keys) by changing the
// SVG's viewBox. Labels and circles keep their size on screen as the map zooms. No libraries.
(function () {
  "use strict";
  function start() {
    var svg = document.getElementById("world-map");
    if (!svg) { return; }
    var W = parseFloat(svg.getAttribute("data-width")) || 360;
    var H = parseFloat(svg.getAttribute("data-height")) || 180;
    var view = { x: 0, y: 0, w: W, h: H };
    var scaleLabel = document.getElementById("map-scale");
    var labels = svg.querySelector("g.labels");
    var circles = svg.querySelectorAll("circle.place");
    var texts = labels ? labels.querySelectorAll("text") : [];

    function clamp() {
      view.w = Math.min(W, Math.max(W / 64, view.w));
      view.h = view.w * H / W;
      view.x = Math.min(W - view.w, Math.max(0, view.x));
      view.y = Math.min(H - view.h, Math.max(0, view.y));
    }
    function draw() {
      clamp();
      svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].map(function (v) {
        return v.toFixed(3);
      }).join(" "));
      var zoom = W / view.w;
      if (scaleLabel) { scaleLabel.textContent = "×" + (Math.round(zoom * 10) / 10); }
      var shrink = Math.pow(zoom, 0.75);
      circles.forEach(function (c) {
        c.setAttribute("r", (parseFloat(c.getAttribute("data-r")) / shrink).toFixed(3));
      });
      if (labels) { labels.setAttribute("font-size", (3 / zoom).toFixed(3)); }
      texts.forEach(function (t) {
        var r = parseFloat(t.getAttribute("data-r")) / shrink;
        var x = parseFloat(t.getAttribute("data-x"));
        t.setAttribute("x", (x + r + 0.4 / zoom).toFixed(3));
      });
      svg.setAttribute("data-zoom", zoom.toFixed(3));
    }
    function zoomAt(factor, cx, cy) {
      var nw = view.w / factor;
      view.x = cx - (cx - view.x) * (nw / view.w);
      view.y = cy - (cy - view.y) * (nw / view.w);
      view.w = nw;
      draw();
    }
    function centre() { return [view.x + view.w / 2, view.y + view.h / 2]; }
    function toMap(event) {
      var box = svg.getBoundingClientRect();
      return [view.x + (event.clientX - box.left) / box.width * view.w,
              view.y + (event.clientY - box.top) / box.height * view.h];
    }
    function button(id, action) {
      var b = document.getElementById(id);
      if (b) { b.addEventListener("click", action); }
    }
    button("map-zoom-in", function () { var c = centre(); zoomAt(2, c[0], c[1]); });
    button("map-zoom-out", function () { var c = centre(); zoomAt(0.5, c[0], c[1]); });
    button("map-reset", function () { view = { x: 0, y: 0, w: W, h: H }; draw(); });
    svg.addEventListener("wheel", function (event) {
      event.preventDefault();
      var p = toMap(event);
      zoomAt(event.deltaY < 0 ? 1.25 : 0.8, p[0], p[1]);
    }, { passive: false });
    var drag = null;
    svg.addEventListener("pointerdown", function (event) {
      if (event.target.closest && event.target.closest("a")) { return; }
      drag = { x: event.clientX, y: event.clientY, vx: view.x, vy: view.y };
      svg.classList.add("dragging");
      svg.setPointerCapture(event.pointerId);
    });
    svg.addEventListener("pointermove", function (event) {
      if (!drag) { return; }
      var box = svg.getBoundingClientRect();
      view.x = drag.vx - (event.clientX - drag.x) / box.width * view.w;
      view.y = drag.vy - (event.clientY - drag.y) / box.height * view.h;
      draw();
    });
    function stop() { drag = null; svg.classList.remove("dragging"); }
    svg.addEventListener("pointerup", stop);
    svg.addEventListener("pointercancel", stop);
    svg.addEventListener("keydown", function (event) {
      var c = centre();
      var step = view.w / 8;
      var keys = {
        "+": function () { zoomAt(2, c[0], c[1]); },
        "=": function () { zoomAt(2, c[0], c[1]); },
        "-": function () { zoomAt(0.5, c[0], c[1]); },
        "ArrowLeft": function () { view.x -= step; draw(); },
        "ArrowRight": function () { view.x += step; draw(); },
        "ArrowUp": function () { view.y -= step; draw(); },
        "ArrowDown": function () { view.y += step; draw(); },
        "0": function () { view = { x: 0, y: 0, w: W, h: H }; draw(); }
      };
      if (keys[event.key]) { event.preventDefault(); keys[event.key](); }
    });
    draw();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
