%% The state matrix: every operation on sockets of every kind in every
%% state, with a timeout of 0 and of nowait (and connect/2's infinity,
%% which each state answers at once), one line a result. The
%% same text runs in esock (-f) and in erl (as an expression sequence),
%% in a directory of its own (local sockets bind relative paths there).
%% Each case starts from fresh sockets; what a nowait case, or one in
%% the connecting state, leaves in the mailbox within 50 ms prints
%% after it.
Kinds = [{tcp4, inet, stream, tcp}, {tcp6, inet6, stream, tcp},
         {udp4, inet, dgram, udp}, {lstream, local, stream, default},
         {ldgram, local, dgram, default},
         {lseq, local, seqpacket, default}],
States = [fresh, bound, listening, connecting, connected, shut_rd,
          shut_wr, shut_rdwr, peer_closed, peer_reset, closed],
Addr = fun(inet, _) -> #{family => inet, addr => loopback, port => 0};
          (inet6, _) -> #{family => inet6, addr => loopback, port => 0};
          (local, Name) -> #{family => local, path => Name}
       end,
Try = fun(F) -> try F() catch C:E -> {raised, C, E} end end,
Flush = fun(Ms) ->
            Fl = fun F(Acc) ->
                     receive M -> F([M | Acc]) after Ms -> lists:reverse(Acc) end
                 end,
            Fl([])
        end,
%% A peer for S: a listener (stream) or a bound socket (dgram), and its
%% address.
Peer = fun(D, T, P, Name) ->
           {ok, L} = socket:open(D, T, P),
           ok = socket:bind(L, Addr(D, Name)),
           case T of
               dgram -> ok;
               _ -> ok = socket:listen(L, 5)
           end,
           {ok, A} = socket:sockname(L),
           {L, A}
       end,
%% Sockets in a state: {S, Others to close, the peer's address}.
Setup = fun(D, T, P, St, Tag) ->
    N = fun(X) -> lists:flatten(io_lib:format("~s_~s.sock", [Tag, X])) end,
    {L, A} = Peer(D, T, P, N("p")),
    {ok, S} = socket:open(D, T, P),
    Bind = fun() -> ok = socket:bind(S, Addr(D, N("s"))) end,
    Connect = fun() ->
                  %% A local datagram socket has no address until bound.
                  case {D, T} of {local, dgram} -> Bind(); _ -> ok end,
                  ok = socket:connect(S, A),
                  case T of
                      dgram ->
                          ok = socket:connect(L, element(2, socket:sockname(S))),
                          {[L], L};
                      _ ->
                          {ok, X} = socket:accept(L, 1000),
                          {[L, X], X}
                  end
              end,
    case St of
        fresh -> {S, [L], A};
        bound -> Bind(), {S, [L], A};
        listening -> Bind(), socket:listen(S, 5), {S, [L], A};
        connecting ->
            %% A listener with a full backlog leaves a connect pending.
            {ok, F} = socket:open(D, T, P),
            ok = socket:bind(F, Addr(D, N("f"))),
            ok = socket:listen(F, 0),
            {ok, FA} = socket:sockname(F),
            Fill = [begin
                        {ok, C} = socket:open(D, T, P),
                        socket:connect(C, FA, 0),
                        C
                    end || _ <- [1, 2, 3]],
            {select, _} = socket:connect(S, FA, nowait),
            {S, [L, F | Fill], A};
        connected -> {Os, _} = Connect(), {S, Os, A};
        shut_rd -> {Os, _} = Connect(), socket:shutdown(S, read), {S, Os, A};
        shut_wr -> {Os, _} = Connect(), socket:shutdown(S, write), {S, Os, A};
        shut_rdwr ->
            {Os, _} = Connect(), socket:shutdown(S, read_write), {S, Os, A};
        peer_closed ->
            {Os, X} = Connect(), socket:close(X), timer:sleep(5), {S, Os, A};
        peer_reset ->
            {Os, X} = Connect(),
            socket:setopt(X, socket, linger, #{onoff => true, linger => 0}),
            socket:close(X),
            timer:sleep(5),
            {S, Os, A};
        closed -> socket:close(S), {S, [L], A}
    end
end,
Ops = [
    {"listen", fun(S, _) -> socket:listen(S) end},
    {"listen/2 -1", fun(S, _) -> socket:listen(S, -1) end},
    {"accept 0", fun(S, _) -> socket:accept(S, 0) end},
    {"accept nowait", fun(S, _) -> socket:accept(S, nowait) end},
    {"connect/1", fun(S, _) -> socket:connect(S) end},
    {"connect/2", fun(S, A) -> socket:connect(S, A) end},
    %% With a timeout of 0 OTP itself may or may not see a loopback
    %% connect finish (its poll thread races the after 0): 100 ms.
    {"connect 100", fun(S, A) -> socket:connect(S, A, 100) end},
    {"connect nowait", fun(S, A) -> socket:connect(S, A, nowait) end},
    {"send 0", fun(S, _) -> socket:send(S, <<"x">>, 0) end},
    {"send nowait", fun(S, _) -> socket:send(S, <<"x">>, nowait) end},
    {"sendto 0", fun(S, A) -> socket:sendto(S, <<"x">>, A, 0) end},
    {"sendto nowait", fun(S, A) -> socket:sendto(S, <<"x">>, A, nowait) end},
    {"recv 0", fun(S, _) -> socket:recv(S, 0, 0) end},
    {"recv nowait", fun(S, _) -> socket:recv(S, 0, nowait) end},
    {"recv -1", fun(S, _) -> socket:recv(S, -1, 0) end},
    {"recv timeout -1", fun(S, _) -> socket:recv(S, 0, -1) end},
    {"recvfrom 0", fun(S, _) -> socket:recvfrom(S, 0, 0) end},
    {"recvfrom nowait", fun(S, _) -> socket:recvfrom(S, 0, nowait) end},
    {"sendmsg 0", fun(S, _) -> socket:sendmsg(S, #{iov => [<<"x">>]}, 0) end},
    {"sendmsg nowait",
     fun(S, _) -> socket:sendmsg(S, #{iov => [<<"x">>]}, nowait) end},
    {"sendmsg addr 0",
     fun(S, A) -> socket:sendmsg(S, #{addr => A, iov => [<<"x">>]}, 0) end},
    {"sendmsg -1", fun(S, _) -> socket:sendmsg(S, #{iov => [<<"x">>]}, -1) end},
    {"recvmsg 0", fun(S, _) -> socket:recvmsg(S, 0) end},
    {"recvmsg nowait", fun(S, _) -> socket:recvmsg(S, nowait) end},
    {"recvmsg -1", fun(S, _) -> socket:recvmsg(S, -1, 0, [], 0) end},
    {"shutdown read", fun(S, _) -> socket:shutdown(S, read) end},
    {"shutdown write", fun(S, _) -> socket:shutdown(S, write) end},
    {"shutdown read_write", fun(S, _) -> socket:shutdown(S, read_write) end},
    {"shutdown sideways", fun(S, _) -> socket:shutdown(S, sideways) end},
    {"peername", fun(S, _) -> socket:peername(S) end},
    {"sockname", fun(S, _) -> socket:sockname(S) end},
    {"cancel", fun(S, _) ->
                   socket:cancel(S, {select_info, recv, make_ref()})
               end},
    {"setopt", fun(S, _) -> socket:setopt(S, socket, reuseaddr, true) end},
    {"getopt", fun(S, _) -> socket:getopt(S, socket, type) end}
],
lists:foreach(
  fun({K, D, T, P}) ->
      lists:foreach(
        fun(St) ->
            lists:foreach(
              fun({Name, Op}) ->
                  Tag = lists:flatten(io_lib:format("~s_~s_~s",
                            [K, St, [case C of $\s -> $_; $/ -> $_;
                                               _ -> C end || C <- Name]])),
                  {S, Others, A} = Setup(D, T, P, St, Tag),
                  R = Try(fun() -> Op(S, A) end),
                  %% A pending connect's message comes when it will.
                  Msgs = Flush(case lists:suffix("nowait", Name) orelse
                                        St =:= connecting of
                                   true -> 50;
                                   false -> 0
                               end),
                  %% When the pending connect's own message comes is
                  %% up to the kernel's SYN retries: it is left out.
                  Shown = [M || M <- Msgs, St =/= connecting orelse
                                           element(3, M) =/= select],
                  io:format("~s ~s ~s: ~w ~w~n", [K, St, Name, R, Shown]),
                  [socket:close(O) || O <- [S | Others]],
                  _ = Flush(0)
              end, Ops)
        end, [St || St <- States, T =:= stream orelse St =/= connecting])
  end, Kinds).
