from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'base.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_site = resolve('site')
    l_0_title = resolve('title')
    l_0_page_url = resolve('page_url')
    l_0_note = resolve('note')
    l_0_kind = resolve('kind')
    l_0_description = l_0_image = missing
    try:
        t_1 = environment.filters['absolute_url']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'absolute_url' found.")
    try:
        t_2 = environment.filters['default']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'default' found.")
    try:
        t_3 = environment.filters['first_image']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'first_image' found.")
    try:
        t_4 = environment.filters['replace']
    except KeyError:
        @internalcode
        def t_4(*unused):
            raise TemplateRuntimeError("No filter named 'replace' found.")
    try:
        t_5 = environment.filters['trim']
    except KeyError:
        @internalcode
        def t_5(*unused):
            raise TemplateRuntimeError("No filter named 'trim' found.")
    try:
        t_6 = environment.filters['url']
    except KeyError:
        @internalcode
        def t_6(*unused):
            raise TemplateRuntimeError("No filter named 'url' found.")
    try:
        t_7 = environment.tests['defined']
    except KeyError:
        @internalcode
        def t_7(*unused):
            raise TemplateRuntimeError("No test named 'defined' found.")
    try:
        t_8 = environment.tests['false']
    except KeyError:
        @internalcode
        def t_8(*unused):
            raise TemplateRuntimeError("No test named 'false' found.")
    pass
    yield '<!doctype html>\n<html lang="'
    yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'language'))
    yield '">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>'
    yield from context.blocks['title'][0](context)
    yield '</title>\n'
    t_9 = []
    pass
    gen = context.blocks['description'][0](context)
    try:
        for event in gen:
            t_9.append(event)
    finally: gen.close()
    l_0_description = (Markup if context.eval_ctx.autoescape else identity)(concat(t_9))
    context.vars['description'] = l_0_description
    context.exported_vars.add('description')
    yield '<meta name="description" content="'
    yield escape(t_5((undefined(name='description') if l_0_description is missing else l_0_description)))
    yield '">\n<link rel="canonical" href="'
    yield from context.blocks['canonical'][0](context)
    yield '">\n<link rel="icon" href="'
    yield escape(t_6('/favicon.svg'))
    yield '" type="image/svg+xml">\n<link rel="alternate" type="application/atom+xml" title="'
    yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'title'))
    yield '" href="'
    yield escape(t_6(environment.getattr(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'urls'), 'feed')))
    yield '">\n<link rel="alternate" type="application/feed+json" title="'
    yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'title'))
    yield '" href="'
    yield escape(t_6(environment.getattr(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'urls'), 'json_feed')))
    yield '">\n'
    yield from context.blocks['feeds'][0](context)
    yield '<meta property="og:site_name" content="'
    yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'title'))
    yield '">\n<meta property="og:title" content="'
    yield escape(((undefined(name='title') if l_0_title is missing else l_0_title) or environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'title')))
    yield '">\n<meta property="og:description" content="'
    yield escape(t_5((undefined(name='description') if l_0_description is missing else l_0_description)))
    yield '">\n<meta property="og:type" content="'
    yield from context.blocks['og_type'][0](context)
    yield '">\n<meta property="og:url" content="'
    yield escape(t_1((undefined(name='page_url') if l_0_page_url is missing else l_0_page_url)))
    yield '">\n<meta property="og:locale" content="'
    yield escape(t_4(context.eval_ctx, environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'language'), '-', '_'))
    yield '">\n'
    l_0_image = (t_3(environment.getattr(environment.getattr((undefined(name='note') if l_0_note is missing else l_0_note), 'body'), 'html')) if t_7((undefined(name='note') if l_0_note is missing else l_0_note)) else None)
    context.vars['image'] = l_0_image
    context.exported_vars.add('image')
    if (undefined(name='image') if l_0_image is missing else l_0_image):
        pass
        yield '<meta property="og:image" content="'
        yield escape(t_1((undefined(name='image') if l_0_image is missing else l_0_image)))
        yield '">\n<meta name="twitter:card" content="summary_large_image">\n'
    else:
        pass
        yield '<meta name="twitter:card" content="summary">\n'
    yield '<meta name="twitter:title" content="'
    yield escape(((undefined(name='title') if l_0_title is missing else l_0_title) or environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'title')))
    yield '">\n<meta name="twitter:description" content="'
    yield escape(t_5((undefined(name='description') if l_0_description is missing else l_0_description)))
    yield '">\n'
    yield from context.blocks['meta'][0](context)
    yield '<link rel="stylesheet" href="'
    yield escape(t_6('/css/style.css'))
    yield '">\n<link rel="stylesheet" href="'
    yield escape(t_6('/css/pygments.css'))
    yield '">\n<link rel="stylesheet" href="'
    yield escape(t_6('/css/obsidian.css'))
    yield '">\n<script>'
    template = environment.get_template('_theme_boot.js', 'base.html')
    gen = template.root_render_func(template.new_context(context.get_all(), True, {'description': l_0_description, 'image': l_0_image}))
    try:
        for event in gen:
            yield event
    finally: gen.close()
    yield '</script>\n<script src="'
    yield escape(t_6('/js/theme.js'))
    yield '" defer></script>\n'
    if (not t_8(context.call(environment.getattr(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'params'), 'get'), 'hover_previews', True))):
        pass
        yield '<script src="'
        yield escape(t_6('/js/previews.js'))
        yield '" defer></script>'
    yield from context.blocks['head'][0](context)
    yield '</head>\n<body class="kind-'
    yield escape(t_2((undefined(name='kind') if l_0_kind is missing else l_0_kind), 'page'))
    yield '">\n<a class="skip-link" href="#main">Skip to content</a>\n<header class="site-header">\n  <div class="wrap header-inner">\n    <a class="site-title" href="'
    yield escape(t_6('/'))
    yield '">'
    yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'title'))
    yield '</a>\n    <nav class="site-nav" aria-label="Site">\n      <a href="'
    yield escape(t_6('/'))
    yield '"'
    if ((undefined(name='kind') if l_0_kind is missing else l_0_kind) in ('home', 'note')):
        pass
        yield ' aria-current="page"'
    yield '>Notes</a>\n      <a href="'
    yield escape(t_6(environment.getattr(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'urls'), 'papers')))
    yield '"'
    if ((undefined(name='kind') if l_0_kind is missing else l_0_kind) in ('papers', 'paper')):
        pass
        yield ' aria-current="page"'
    yield '>Papers</a>\n      <a href="'
    yield escape(t_6(environment.getattr(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'urls'), 'tags')))
    yield '"'
    if ((undefined(name='kind') if l_0_kind is missing else l_0_kind) in ('tags', 'tag')):
        pass
        yield ' aria-current="page"'
    yield '>Tags</a>\n      <a href="'
    yield escape(t_6(environment.getattr(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'urls'), 'archive')))
    yield '"'
    if ((undefined(name='kind') if l_0_kind is missing else l_0_kind) in ('archive', 'year', 'month')):
        pass
        yield ' aria-current="page"'
    yield '>Archive</a>\n      <a href="'
    yield escape(t_6(environment.getattr(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'urls'), 'graph')))
    yield '"'
    if ((undefined(name='kind') if l_0_kind is missing else l_0_kind) == 'graph'):
        pass
        yield ' aria-current="page"'
    yield '>Graph</a>\n      <form class="site-search" role="search" action="'
    yield escape(t_6(environment.getattr(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'urls'), 'search')))
    yield '" method="get">\n        <label for="site-search-input" class="visually-hidden">Search notes and papers</label>\n        <input id="site-search-input" type="search" name="q" placeholder="Search" autocomplete="off">\n      </form>\n      <button type="button" class="theme-toggle" aria-label="Toggle dark mode" title="Toggle dark mode">\n        <svg aria-hidden="true" viewBox="0 0 24 24" width="18" height="18"><path fill="currentColor" d="M12 3a9 9 0 1 0 9 9 7 7 0 0 1-9-9z"/></svg>\n      </button>\n    </nav>\n  </div>\n</header>\n<main id="main" class="wrap">\n'
    yield from context.blocks['content'][0](context)
    yield '</main>\n<footer class="site-footer">\n  <div class="wrap">\n'
    if environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'author'):
        pass
        yield '<span>© '
        yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'author'))
        yield '</span> · '
    yield '<span>Built with papernotes</span>\n  </div>\n</footer>\n</body>\n</html>\n'

def block_title(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_title = resolve('title')
    l_0_page_url = resolve('page_url')
    l_0_site = resolve('site')
    pass
    if ((undefined(name='title') if l_0_title is missing else l_0_title) and ((undefined(name='page_url') if l_0_page_url is missing else l_0_page_url) != '/')):
        pass
        yield escape((undefined(name='title') if l_0_title is missing else l_0_title))
        yield ' · '
    yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'title'))

def block_description(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_site = resolve('site')
    pass
    yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'description'))

def block_canonical(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_page_url = resolve('page_url')
    try:
        t_1 = environment.filters['absolute_url']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'absolute_url' found.")
    pass
    yield escape(t_1((undefined(name='page_url') if l_0_page_url is missing else l_0_page_url)))

def block_feeds(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    pass

def block_og_type(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    pass
    yield 'website'

def block_meta(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    pass

def block_head(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    pass

def block_content(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    pass

blocks = {'title': block_title, 'description': block_description, 'canonical': block_canonical, 'feeds': block_feeds, 'og_type': block_og_type, 'meta': block_meta, 'head': block_head, 'content': block_content}
debug_info = '2=66&6=68&7=74&8=81&9=83&10=85&11=87&12=91&13=95&14=97&15=99&16=101&17=103&18=105&19=107&20=109&21=112&22=115&27=121&28=123&29=125&30=127&31=129&32=131&33=133&34=140&35=142&36=147&38=149&42=151&44=155&45=161&46=167&47=173&48=179&49=185&60=187&64=189&6=196&7=213&9=224&13=241&17=250&29=260&36=269&60=278'