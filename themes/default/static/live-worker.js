/* rulebook serve: the one reload channel of every open page of the preview (a SharedWorker, started
   by live.js). A browser opens at most six connections to one server; a channel per tab left the
   seventh tab without any. This worker holds the channel, keeps the last build state, and passes
   each state to every page connected to it (a page that connects gets the last one at once).
   Plain ES5. */
(function () {
  "use strict";
  var ports = [];
  var last = null;
  var source = null;

  function send(data) {
    for (var i = 0; i < ports.length; i++) {
      try { ports[i].postMessage(data); } catch (e) { /* a page gone */ }
    }
  }

  function open() {
    source = new EventSource("/__rulebook/events");
    source.addEventListener("build", function (ev) {
      last = ev.data;
      send(ev.data);
    });
    /* The browser reconnects by itself after a lost connection (the server restarted); a channel
       it gave up on is opened again. */
    source.onerror = function () {
      if (source.readyState === 2) {
        source = null;
        setTimeout(open, 1000);
      }
    };
  }

  self.onconnect = function (e) {
    var port = e.ports[0];
    ports.push(port);
    port.onmessage = function (m) {
      if (m.data === "bye") {
        var i = ports.indexOf(port);
        if (i >= 0) { ports.splice(i, 1); }
      }
    };
    port.start();
    if (last !== null) { port.postMessage(last); }
    if (source === null) { open(); }
  };
})();
