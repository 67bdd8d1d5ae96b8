from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'paper-years.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    pass
    parent_template = environment.get_template('base.html', 'paper-years.html')
    for name, parent_block in parent_template.blocks.items():
        context.blocks.setdefault(name, []).append(parent_block)
    yield from parent_template.root_render_func(context)

def block_content(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_title = resolve('title')
    l_0_read = resolve('read')
    l_0_site = resolve('site')
    l_0_groups = resolve('groups')
    try:
        t_1 = environment.filters['date']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'date' found.")
    try:
        t_2 = environment.filters['length']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'length' found.")
    try:
        t_3 = environment.filters['plural']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'plural' found.")
    try:
        t_4 = environment.filters['runs']
    except KeyError:
        @internalcode
        def t_4(*unused):
            raise TemplateRuntimeError("No filter named 'runs' found.")
    try:
        t_5 = environment.filters['url']
    except KeyError:
        @internalcode
        def t_5(*unused):
            raise TemplateRuntimeError("No filter named 'url' found.")
    pass
    yield '<h1 class="page-title">'
    yield escape((undefined(name='title') if l_0_title is missing else l_0_title))
    yield '</h1>\n<p class="lede">'
    if (undefined(name='read') if l_0_read is missing else l_0_read):
        pass
        yield 'When the notes first read each paper (a note\'s <code>read:</code> date, else its own date); also <a href="'
        yield escape(t_5(environment.getattr(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'urls'), 'papers_published')))
        yield '">by year published</a>.'
    else:
        pass
        yield 'The year each paper was published; also <a href="'
        yield escape(t_5(environment.getattr(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'urls'), 'papers_read')))
        yield '">by year read</a>.'
    yield '</p>\n'
    for (l_1_year, l_1_papers) in (undefined(name='groups') if l_0_groups is missing else l_0_groups):
        _loop_vars = {}
        pass
        yield '<section class="paper-year">\n  <h2 id="'
        yield escape((l_1_year or 'undated'))
        yield '">'
        if l_1_year:
            pass
            yield escape(('Read in ' if (undefined(name='read') if l_0_read is missing else l_0_read) else cond_expr_undefined("the inline if-expression on line 7 in 'paper-years.html' evaluated to false and no else section was defined.")))
            yield escape(l_1_year)
        else:
            pass
            yield escape(('No reading date' if (undefined(name='read') if l_0_read is missing else l_0_read) else 'Year unknown'))
        yield ' <span class="count">'
        yield escape(t_3(t_2(l_1_papers), 'paper'))
        yield '</span></h2>\n  <ul>\n'
        for l_2_run in t_4(l_1_papers):
            l_2_section = resolve('section')
            _loop_vars = {}
            pass
            def macro():
                t_6 = []
                pass
                for l_4_paper in l_2_run:
                    _loop_vars = {}
                    pass
                    t_6.extend((
                        '<li><a href="',
                        escape(t_5(environment.getattr(l_4_paper, 'url'))),
                        '">',
                        escape(environment.getattr(l_4_paper, 'title')),
                        '</a>',
                    ))
                    if ((undefined(name='read') if l_0_read is missing else l_0_read) and environment.getattr(environment.getattr(l_4_paper, 'meta'), 'year')):
                        pass
                        t_6.extend((
                            ' <span class="muted small">(',
                            escape(environment.getattr(environment.getattr(l_4_paper, 'meta'), 'year')),
                            ')</span>',
                        ))
                    elif ((not (undefined(name='read') if l_0_read is missing else l_0_read)) and environment.getattr(l_4_paper, 'read')):
                        pass
                        t_6.extend((
                            ' <span class="muted small">read ',
                            escape(t_1(environment.getattr(l_4_paper, 'read'))),
                            '</span>',
                        ))
                    t_6.append(
                        '</li>',
                    )
                l_4_paper = missing
                return concat(t_6)
            caller = Macro(environment, macro, None, (), False, False, False, context.eval_ctx.autoescape)
            yield context.call((undefined(name='section') if l_2_section is missing else l_2_section), 'paper-years', (undefined(name='read') if l_0_read is missing else l_0_read), l_2_run, caller=caller, _loop_vars=_loop_vars)
        l_2_run = l_2_section = missing
        yield '  </ul>\n</section>\n'
    l_1_year = l_1_papers = missing

blocks = {'content': block_content}
debug_info = '1=12&2=17&3=60&4=62&5=73&7=77&9=89'