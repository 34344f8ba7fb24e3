fetch("LIVE/from-worker.json").catch(function () {});
