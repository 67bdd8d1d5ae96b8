from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'archive.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    pass
    parent_template = environment.get_template('base.html', 'archive.html')
    for name, parent_block in parent_template.blocks.items():
        context.blocks.setdefault(name, []).append(parent_block)
    yield from parent_template.root_render_func(context)

def block_feeds(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_tag = resolve('tag')
    l_0_site = resolve('site')
    try:
        t_1 = environment.filters['url']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'url' found.")
    try:
        t_2 = environment.tests['defined']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No test named 'defined' found.")
    pass
    if t_2((undefined(name='tag') if l_0_tag is missing else l_0_tag)):
        pass
        yield '<link rel="alternate" type="application/atom+xml" title="'
        yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'title'))
        yield ': #'
        yield escape(environment.getattr((undefined(name='tag') if l_0_tag is missing else l_0_tag), 'name'))
        yield '" href="'
        yield escape(t_1(markup_join((environment.getattr((undefined(name='tag') if l_0_tag is missing else l_0_tag), 'url'), 'feed.xml', ))))
        yield '">'

def block_content(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_title = resolve('title')
    l_0_years = resolve('years')
    l_0_undated = resolve('undated')
    try:
        t_3 = environment.filters['date']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'date' found.")
    try:
        t_4 = environment.filters['length']
    except KeyError:
        @internalcode
        def t_4(*unused):
            raise TemplateRuntimeError("No filter named 'length' found.")
    try:
        t_5 = environment.filters['runs']
    except KeyError:
        @internalcode
        def t_5(*unused):
            raise TemplateRuntimeError("No filter named 'runs' found.")
    try:
        t_1 = environment.filters['url']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'url' found.")
    pass
    yield '<h1 class="page-title">'
    yield escape((undefined(name='title') if l_0_title is missing else l_0_title))
    yield '</h1>\n'
    for l_1_year in (undefined(name='years') if l_0_years is missing else l_0_years):
        l_1_kind = resolve('kind')
        l_1_site = resolve('site')
        _loop_vars = {}
        pass
        yield '<section class="archive-year">\n'
        if ((undefined(name='kind') if l_1_kind is missing else l_1_kind) == 'archive'):
            pass
            yield '<h2><a href="'
            yield escape(t_1(context.call(environment.getattr(environment.getattr((undefined(name='site') if l_1_site is missing else l_1_site), 'urls'), 'of_year'), environment.getattr(l_1_year, 'year'), _loop_vars=_loop_vars)))
            yield '">'
            yield escape(environment.getattr(l_1_year, 'year'))
            yield '</a> <span class="count">'
            yield escape(t_4(environment.getattr(l_1_year, 'notes')))
            yield '</span></h2>'
        elif ((undefined(name='kind') if l_1_kind is missing else l_1_kind) == 'tag-archive'):
            pass
            yield '<h2>'
            yield escape(environment.getattr(l_1_year, 'year'))
            yield ' <span class="count">'
            yield escape(t_4(environment.getattr(l_1_year, 'notes')))
            yield '</span></h2>'
        for l_2_month in environment.getattr(l_1_year, 'months'):
            _loop_vars = {}
            pass
            if (not environment.getattr(l_2_month, 'month')):
                pass
                yield '<h3>Sometime in '
                yield escape(environment.getattr(l_1_year, 'year'))
                yield '</h3>'
            elif ((undefined(name='kind') if l_1_kind is missing else l_1_kind) == 'tag-archive'):
                pass
                yield '<h3>'
                yield escape(context.call(environment.getattr(environment.getattr(environment.getattr(environment.getitem(environment.getattr(l_2_month, 'notes'), 0), 'date'), 'value'), 'strftime'), '%B', _loop_vars=_loop_vars))
                yield '</h3>'
            else:
                pass
                yield '<h3><a href="'
                yield escape(t_1(context.call(environment.getattr(environment.getattr((undefined(name='site') if l_1_site is missing else l_1_site), 'urls'), 'of_month'), environment.getattr(l_1_year, 'year'), environment.getattr(l_2_month, 'month'), _loop_vars=_loop_vars)))
                yield '">'
                yield escape(context.call(environment.getattr(environment.getattr(environment.getattr(environment.getitem(environment.getattr(l_2_month, 'notes'), 0), 'date'), 'value'), 'strftime'), '%B', _loop_vars=_loop_vars))
                yield '</a></h3>'
            yield '  <ul class="archive-list">\n'
            for l_3_run in t_5(environment.getattr(l_2_month, 'notes')):
                l_3_section = resolve('section')
                _loop_vars = {}
                pass
                def macro():
                    t_6 = []
                    pass
                    for l_5_note in l_3_run:
                        l_5_date = missing
                        _loop_vars = {}
                        pass
                        l_5_date = environment.getattr(l_5_note, 'date')
                        _loop_vars['date'] = l_5_date
                        t_6.append(
                            '    <li>',
                        )
                        if ((undefined(name='date') if l_5_date is missing else l_5_date) and (environment.getattr((undefined(name='date') if l_5_date is missing else l_5_date), 'precision') not in ('year', 'month'))):
                            pass
                            t_6.extend((
                                '<time datetime="',
                                escape(t_3((undefined(name='date') if l_5_date is missing else l_5_date), 'iso')),
                                '">',
                                escape(context.call(environment.getattr(environment.getattr((undefined(name='date') if l_5_date is missing else l_5_date), 'value'), 'strftime'), '%d %b', _loop_vars=_loop_vars)),
                                '</time>',
                            ))
                        else:
                            pass
                            t_6.append(
                                '<time></time>',
                            )
                        t_6.extend((
                            '<a href="',
                            escape(t_1(environment.getattr(l_5_note, 'url'))),
                            '">',
                            escape(environment.getattr(l_5_note, 'title')),
                            '</a></li>\n',
                        ))
                    l_5_note = l_5_date = missing
                    return concat(t_6)
                caller = Macro(environment, macro, None, (), False, False, False, context.eval_ctx.autoescape)
                yield context.call((undefined(name='section') if l_3_section is missing else l_3_section), 'archive', l_3_run, caller=caller, _loop_vars=_loop_vars)
            l_3_run = l_3_section = missing
            yield '  </ul>\n'
        l_2_month = missing
        yield '</section>\n'
    l_1_year = l_1_kind = l_1_site = missing
    if (undefined(name='undated') if l_0_undated is missing else l_0_undated):
        pass
        yield '<section class="archive-year">\n  <h2>Undated</h2>\n  <ul class="archive-list">'
        for l_1_note in (undefined(name='undated') if l_0_undated is missing else l_0_undated):
            _loop_vars = {}
            pass
            yield '<li><time></time><a href="'
            yield escape(t_1(environment.getattr(l_1_note, 'url')))
            yield '">'
            yield escape(environment.getattr(l_1_note, 'title'))
            yield '</a></li>'
        l_1_note = missing
        yield '</ul>\n</section>\n'

blocks = {'feeds': block_feeds, 'content': block_content}
debug_info = '1=12&2=17&3=49&4=85&5=87&7=93&8=109&9=112&11=130&12=146&11=170&18=176&21=179'