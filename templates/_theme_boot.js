(function(){try{var t=localStorage.getItem("papernotes-theme");if(t)document.documentElement.dataset.theme=t;}catch(e){}})();
