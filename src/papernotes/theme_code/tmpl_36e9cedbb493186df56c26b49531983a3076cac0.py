from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = '_macros.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_note_meta = l_0_note_list = l_0_pager = l_0_toc_list = missing
    try:
        t_1 = environment.filters['date']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'date' found.")
    try:
        t_2 = environment.filters['excerpt']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'excerpt' found.")
    try:
        t_3 = environment.filters['int']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'int' found.")
    try:
        t_4 = environment.filters['round']
    except KeyError:
        @internalcode
        def t_4(*unused):
            raise TemplateRuntimeError("No filter named 'round' found.")
    try:
        t_5 = environment.filters['url']
    except KeyError:
        @internalcode
        def t_5(*unused):
            raise TemplateRuntimeError("No filter named 'url' found.")
    pass
    def macro(l_1_note, l_1_tags):
        t_6 = []
        if l_1_note is missing:
            l_1_note = undefined("parameter 'note' was not provided", name='note')
        if l_1_tags is missing:
            l_1_tags = ()
        pass
        t_6.append(
            '<p class="note-meta">\n',
        )
        if environment.getattr(l_1_note, 'date'):
            pass
            t_6.extend((
                '<time datetime="',
                escape(t_1(environment.getattr(l_1_note, 'date'), 'iso')),
                '">',
                escape(t_1(environment.getattr(l_1_note, 'date'))),
                '</time>',
            ))
        else:
            pass
            t_6.append(
                '<span class="undated">undated</span>',
            )
        if environment.getattr(environment.getattr(l_1_note, 'body'), 'words'):
            pass
            t_6.extend((
                '<span class="reading-time">',
                escape((t_3(t_4((environment.getattr(environment.getattr(l_1_note, 'body'), 'words') / 220), 0, 'ceil')) or 1)),
                ' min read</span>',
            ))
        for l_2_tag in l_1_tags:
            _loop_vars = {}
            pass
            t_6.extend((
                '<a class="tag" href="',
                escape(t_5(environment.getattr(l_2_tag, 'url'))),
                '">#',
                escape(environment.getattr(l_2_tag, 'name')),
                '</a>',
            ))
        l_2_tag = missing
        t_6.append(
            '</p>\n',
        )
        return concat(t_6)
    context.exported_vars.add('note_meta')
    context.vars['note_meta'] = l_0_note_meta = Macro(environment, macro, 'note_meta', ('note', 'tags'), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_notes):
        t_7 = []
        if l_1_notes is missing:
            l_1_notes = undefined("parameter 'notes' was not provided", name='notes')
        pass
        t_7.append(
            '<ul class="note-list">\n',
        )
        for l_2_note in l_1_notes:
            _loop_vars = {}
            pass
            t_7.extend((
                '  <li class="note-item">\n    <h2 class="note-item-title"><a href="',
                escape(t_5(environment.getattr(l_2_note, 'url'))),
                '">',
                escape(environment.getattr(l_2_note, 'title')),
                '</a></h2>\n    <p class="note-meta">\n',
            ))
            if environment.getattr(l_2_note, 'date'):
                pass
                t_7.extend((
                    '<time datetime="',
                    escape(t_1(environment.getattr(l_2_note, 'date'), 'iso')),
                    '">',
                    escape(t_1(environment.getattr(l_2_note, 'date'))),
                    '</time>',
                ))
            else:
                pass
                t_7.append(
                    '<span class="undated">undated</span>',
                )
            for l_3_tag in environment.getattr(l_2_note, 'tags')[:5]:
                _loop_vars = {}
                pass
                t_7.extend((
                    '<span class="tag">#',
                    escape(l_3_tag),
                    '</span>',
                ))
            l_3_tag = missing
            t_7.append(
                '    </p>\n',
            )
            if environment.getattr(l_2_note, 'summary'):
                pass
                t_7.extend((
                    '<p class="note-summary">',
                    escape(t_2(environment.getattr(l_2_note, 'summary'))),
                    '</p>',
                ))
            t_7.append(
                '  </li>\n',
            )
        l_2_note = missing
        t_7.append(
            '</ul>\n',
        )
        return concat(t_7)
    context.exported_vars.add('note_list')
    context.vars['note_list'] = l_0_note_list = Macro(environment, macro, 'note_list', ('notes',), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_pagination):
        t_8 = []
        if l_1_pagination is missing:
            l_1_pagination = undefined("parameter 'pagination' was not provided", name='pagination')
        pass
        if (l_1_pagination and (environment.getattr(l_1_pagination, 'total') > 1)):
            pass
            t_8.append(
                '<nav class="pager" aria-label="Pagination">\n',
            )
            if environment.getattr(l_1_pagination, 'newer_url'):
                pass
                t_8.extend((
                    '<a rel="prev" href="',
                    escape(t_5(environment.getattr(l_1_pagination, 'newer_url'))),
                    '">← Newer</a>',
                ))
            else:
                pass
                t_8.append(
                    '<span></span>',
                )
            t_8.extend((
                '  <span class="pager-count">Page ',
                escape(environment.getattr(l_1_pagination, 'number')),
                ' of ',
                escape(environment.getattr(l_1_pagination, 'total')),
                '</span>\n',
            ))
            if environment.getattr(l_1_pagination, 'older_url'):
                pass
                t_8.extend((
                    '<a rel="next" href="',
                    escape(t_5(environment.getattr(l_1_pagination, 'older_url'))),
                    '">Older →</a>',
                ))
            elif environment.getattr(l_1_pagination, 'rest_url'):
                pass
                t_8.extend((
                    '<a href="',
                    escape(t_5(environment.getattr(l_1_pagination, 'rest_url'))),
                    '">',
                    escape(environment.getattr(l_1_pagination, 'rest_title')),
                    ' →</a>',
                ))
            else:
                pass
                t_8.append(
                    '<span></span>',
                )
            t_8.append(
                '</nav>\n',
            )
        return concat(t_8)
    context.exported_vars.add('pager')
    context.vars['pager'] = l_0_pager = Macro(environment, macro, 'pager', ('pagination',), False, False, False, context.eval_ctx.autoescape)
    yield '\n\n'
    def macro(l_1_entries, l_1_numbered):
        t_9 = []
        l_1_tag = missing
        if l_1_entries is missing:
            l_1_entries = undefined("parameter 'entries' was not provided", name='entries')
        if l_1_numbered is missing:
            l_1_numbered = undefined("parameter 'numbered' was not provided", name='numbered')
        pass
        l_1_tag = ('ol' if l_1_numbered else 'ul')
        t_9.extend((
            '<',
            escape((undefined(name='tag') if l_1_tag is missing else l_1_tag)),
            '>\n',
        ))
        for l_2_entry in l_1_entries:
            _loop_vars = {}
            pass
            t_9.extend((
                '<li class="toc-level-',
                escape(environment.getattr(environment.getattr(l_2_entry, 'heading'), 'level')),
                '"><a href="#',
                escape(environment.getattr(environment.getattr(l_2_entry, 'heading'), 'id')),
                '">',
                escape(environment.getattr(environment.getattr(l_2_entry, 'heading'), 'text')),
                '</a>',
            ))
            if environment.getattr(l_2_entry, 'children'):
                pass
                t_9.append(
                    escape(context.call((undefined(name='toc_list') if l_0_toc_list is missing else l_0_toc_list), environment.getattr(l_2_entry, 'children'), l_1_numbered, _loop_vars=_loop_vars)),
                )
            t_9.append(
                '</li>\n',
            )
        l_2_entry = missing
        t_9.extend((
            '</',
            escape((undefined(name='tag') if l_1_tag is missing else l_1_tag)),
            '>\n',
        ))
        return concat(t_9)
    context.exported_vars.add('toc_list')
    context.vars['toc_list'] = l_0_toc_list = Macro(environment, macro, 'toc_list', ('entries', 'numbered'), False, False, False, context.eval_ctx.autoescape)

blocks = {}
debug_info = '1=42&3=52&4=66&5=73&9=91&11=99&13=104&15=109&16=123&18=135&24=153&25=158&27=163&28=177&29=182&35=210&36=218&37=221&38=224&40=247'