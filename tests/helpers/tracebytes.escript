#!/usr/bin/env escript
%% tracebytes TRACE OUT IN: reads esock's term trace lines
%% ({trace, Ms, S, Dir, Bytes}, one a line, #Ref<...> replaced by an
%% atom) and writes the Bytes of the out lines, in order, to OUT and
%% those of the in lines to IN. Lines of anything else are an error.
main([Trace, Out, In]) ->
    {ok, Bin} = file:read_file(Trace),
    Lines = [L || L <- binary:split(Bin, <<"\n">>, [global]), L =/= <<>>],
    Moves = [parse(L) || L <- Lines],
    ok = file:write_file(Out, [B || {out, B} <- Moves]),
    ok = file:write_file(In, [B || {in, B} <- Moves]),
    halt(0).

%% The line's bytes as read: esock writes a binary's text byte for byte.
parse(Line) ->
    Text = re:replace(Line, "#Ref<[0-9.]+>", "ref",
                      [global, {return, list}]),
    {ok, Toks, _} = erl_scan:string(Text ++ "."),
    {ok, {trace, Ms, _S, Dir, Bytes}} = erl_parse:parse_term(Toks),
    true = is_integer(Ms) andalso Ms >= 0,
    true = is_binary(Bytes),
    {Dir, Bytes}.
