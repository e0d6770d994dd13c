(function () {
  var body = document.body;
  var parentOrigin = body.getAttribute("data-parent");
  var widget = body.getAttribute("data-widget");
  if (!parentOrigin || !widget || window.parent === window) return;
  var last = -1;
  function send() {
    var height = Math.ceil(body.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    window.parent.postMessage({ type: "pasar-babel:resize", id: widget, height: height }, parentOrigin);
  }
  if (window.ResizeObserver) {
    new window.ResizeObserver(send).observe(body);
  } else {
    window.addEventListener("load", send);
    window.addEventListener("resize", send);
    window.setInterval(send, 1000);
  }
  send();
})();
