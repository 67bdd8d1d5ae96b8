from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = '_theme_boot.js'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    pass
    yield '(function(){try{var t=localStorage.getItem("papernotes-theme");if(t)document.documentElement.dataset.theme=t;}catch(e){}})();\n'

blocks = {}
debug_info = ''