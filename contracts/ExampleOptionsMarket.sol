// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

/// @notice What a consumer needs from the guard.
interface IConsensusGuard {
    /// @notice The breaker level of `market`: 0 normal, 1 caution, 2 reduce_only, 3 halt,
    /// 4 settlement_hold.
    function levelOf(bytes32 market) external view returns (uint8);

    /// @notice Block timestamp (seconds) of the keeper's last heartbeat or level change.
    function lastHeartbeat() external view returns (uint64);
}

/// @title ExampleOptionsMarket
/// @notice A minimal options market that obeys a ConsensusGuard: it opens new positions only
/// below `reduce_only`, lets holders close positions at `reduce_only`, and refuses everything at
/// `halt` and above. Positions are counted in contracts; premiums, strikes and settlement are
/// left out to keep the guard's use plain.
contract ExampleOptionsMarket {
    uint8 private constant REDUCE_ONLY = 2;
    uint8 private constant HALT = 3;

    /// @notice The guard this market obeys.
    IConsensusGuard public immutable guard;
    /// @notice This market's id in the guard.
    bytes32 public immutable market;
    /// @notice How long (seconds) the guard may go without a heartbeat before the market treats it
    /// as at least `reduce_only`.
    uint64 public immutable maxStalenessSeconds;

    /// @notice Open contracts per holder.
    mapping(address holder => uint256 contracts) public positionOf;

    /// @notice `holder` opened `contracts`, now holding `position`.
    event PositionOpened(address indexed holder, uint256 contracts, uint256 position);
    /// @notice `holder` closed `contracts`, now holding `position`.
    event PositionClosed(address indexed holder, uint256 contracts, uint256 position);

    /// @notice New positions are refused at `reduce_only` and above.
    error NewPositionsRefused(bytes32 market, uint8 level);
    /// @notice New positions are refused: the guard's last heartbeat, at `lastHeartbeat`, is
    /// older than `maxStalenessSeconds`.
    error GuardStale(bytes32 market, uint64 lastHeartbeat, uint64 maxStalenessSeconds);
    /// @notice `maxStalenessSeconds` is zero.
    error ZeroStaleness();
    /// @notice Everything is refused at `halt` and above.
    error MarketHalted(bytes32 market, uint8 level);
    /// @notice The amount is zero.
    error ZeroContracts();
    /// @notice The holder closes more than it holds.
    error InsufficientPosition(uint256 held, uint256 requested);

    /// @param guard_ The ConsensusGuard to read.
    /// @param market_ This market's id in the guard.
    /// @param maxStalenessSeconds_ The longest silence of the guard (seconds) tolerated for new
    /// positions; a few heartbeat intervals.
    constructor(IConsensusGuard guard_, bytes32 market_, uint64 maxStalenessSeconds_) {
        if (maxStalenessSeconds_ == 0) revert ZeroStaleness();
        guard = guard_;
        market = market_;
        maxStalenessSeconds = maxStalenessSeconds_;
    }

    /// @notice Whether the guard has been silent for longer than `maxStalenessSeconds`.
    function isGuardStale() public view returns (bool) {
        return block.timestamp - guard.lastHeartbeat() > maxStalenessSeconds;
    }

    /// @notice The level this market acts on: the guard's, raised to `reduce_only` while the guard
    /// is stale.
    function effectiveLevel() external view returns (uint8) {
        uint8 level = guard.levelOf(market);
        if (level < REDUCE_ONLY && isGuardStale()) return REDUCE_ONLY;
        return level;
    }

    /// @notice Opens `contracts` more for the caller. Refused at `reduce_only` and above, and while
    /// the guard is stale.
    function openPosition(uint256 contracts) external {
        uint8 level = guard.levelOf(market);
        if (level >= HALT) revert MarketHalted(market, level);
        if (level >= REDUCE_ONLY) revert NewPositionsRefused(market, level);
        uint64 last = guard.lastHeartbeat();
        if (block.timestamp - last > maxStalenessSeconds) revert GuardStale(market, last, maxStalenessSeconds);
        if (contracts == 0) revert ZeroContracts();
        uint256 position = positionOf[msg.sender] + contracts;
        positionOf[msg.sender] = position;
        emit PositionOpened(msg.sender, contracts, position);
    }

    /// @notice Closes `contracts` of the caller's position. Allowed up to `reduce_only`, and while
    /// the guard is stale; refused at `halt` and above.
    function closePosition(uint256 contracts) external {
        uint8 level = guard.levelOf(market);
        if (level >= HALT) revert MarketHalted(market, level);
        if (contracts == 0) revert ZeroContracts();
        uint256 held = positionOf[msg.sender];
        if (contracts > held) revert InsufficientPosition(held, contracts);
        uint256 position = held - contracts;
        positionOf[msg.sender] = position;
        emit PositionClosed(msg.sender, contracts, position);
    }
}
